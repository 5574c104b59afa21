// Graph layout off the UI thread: the view posts items and edges, gets positions back. A newer
// request supersedes older ones (only the latest id is answered by the view).
import { layeredLayout, type LayoutInput } from '../../shared/model/layered-layout';

interface Request extends LayoutInput {
  id: number;
}

self.onmessage = (event: MessageEvent<Request>) => {
  const started = performance.now();
  const { id, ...input } = event.data;
  const out = layeredLayout(input);
  (self as unknown as Worker).postMessage({ id, ...out, ms: performance.now() - started }, [out.positions.buffer]);
};
