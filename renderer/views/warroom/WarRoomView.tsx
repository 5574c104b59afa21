// The war room inside the console's shell (#/warroom), with a link to the full-screen page.
import { WarRoom } from './WarRoom';

export default function WarRoomView() {
  return (
    <div className="view" data-testid="view-warroom">
      <WarRoom fullScreen={false} />
    </div>
  );
}
