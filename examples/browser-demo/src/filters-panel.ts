// The filters panel: the convnet's first Conv2D layer, its 32 kernels (3×3, each one weight per pixel of
// a patch) and what each makes of the drawn digit (its 26×26 feature map after relu), as the worker sends them.
import { byId } from './dom.ts';
import { paintGrey } from './digit-image.ts';
import { describeModel } from './model-state.ts';
import type { ImageStack, Reply } from './protocol.ts';

function gallery(list: HTMLElement, images: ImageStack, label: string): void {
  const size = images.width * images.height;
  list.replaceChildren(...Array.from({ length: images.count }, (_, k) => {
    const item = document.createElement('li');
    const canvas = document.createElement('canvas');
    paintGrey(canvas, images.width, images.height, (i) => images.values[k * size + i]);
    canvas.setAttribute('aria-label', `${label} ${k + 1}`);
    item.append(canvas);
    return item;
  }));
  list.dataset.count = String(images.count);
  list.dataset.size = `${images.width}x${images.height}`;
}

export class FiltersPanel {
  private readonly status = byId('filters-status', HTMLElement);
  private readonly kernels = byId('filters-kernels', HTMLUListElement);
  private readonly maps = byId('filters-maps', HTMLUListElement);

  /** A new worker or model: nothing to show until the convnet's weights arrive. */
  clear(text: string): void {
    this.status.textContent = text;
    for (const list of [this.kernels, this.maps]) {
      list.replaceChildren();
      list.dataset.count = '0';
    }
  }

  receive(reply: Reply): void {
    if (reply.type === 'model' && reply.state.kind !== 'convnet') this.clear('Pick "convnet" as the model in the Train panel to see its filters here.');
    if (reply.type !== 'filters') return;
    gallery(this.kernels, reply.kernels, 'kernel');
    if (reply.maps) gallery(this.maps, reply.maps, 'feature map');
    const maps = reply.maps ? '' : ' Draw a digit in the Predict panel to see its feature maps.';
    this.status.textContent = `First Conv2D layer of ${describeModel(reply.state)}.${maps}`;
  }
}
