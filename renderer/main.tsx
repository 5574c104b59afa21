import { StrictMode, Suspense, lazy } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { getApi } from './api/client';
import { isWarRoomPath } from './views/warroom/warroom-model';
import './styles.css';

// /warroom is the wall screen: the war room alone, full screen, without the shell's navigation.
const WarRoomScreen = lazy(() => import('./views/warroom/WarRoomScreen'));

// Take the token out of the URL before anything renders (and before the URL is shared).
getApi();
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    {isWarRoomPath(window.location.pathname) ? (
      <Suspense fallback={null}>
        <WarRoomScreen />
      </Suspense>
    ) : (
      <App />
    )}
  </StrictMode>,
);
