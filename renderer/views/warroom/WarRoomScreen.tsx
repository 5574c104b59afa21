// The full-screen war room (/warroom?token=…): no navigation, no top bar, no palette — only the
// wall. It loads the shell's state itself (who we are, the context, the link to the server).
import { useEffect } from 'react';
import { useAppStore } from '../../stores/app-store';
import { WarRoom } from './WarRoom';

export default function WarRoomScreen() {
  const load = useAppStore((s) => s.load);
  useEffect(() => {
    document.documentElement.dataset.theme = 'dark';
    void load();
  }, [load]);
  return <WarRoom fullScreen />;
}
