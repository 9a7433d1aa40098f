import { describe, expect, it } from 'vitest';
import { Dense, Sequential, layers } from '../src/index.ts';

describe('summary', () => {
  it("prints Keras 3's table for the book's network (407,050 params)", () => {
    const model = new Sequential([
      layers.dense({ units: 512, activation: 'relu', inputShape: [784], name: 'dense' }),
      layers.dense({ units: 10, activation: 'softmax', name: 'dense_1' }),
    ], { name: 'sequential' });
    const lines: string[] = [];
    model.summary((line) => lines.push(line));
    expect(lines.join('\n')).toBe(
      [
        'Model: "sequential"',
        '┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓',
        '┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃',
        '┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩',
        '│ dense (Dense)                   │ (None, 512)            │       401,920 │',
        '├─────────────────────────────────┼────────────────────────┼───────────────┤',
        '│ dense_1 (Dense)                 │ (None, 10)             │         5,130 │',
        '└─────────────────────────────────┴────────────────────────┴───────────────┘',
        ' Total params: 407,050 (1.55 MB)',
        ' Trainable params: 407,050 (1.55 MB)',
        ' Non-trainable params: 0 (0.00 B)',
      ].join('\n'),
    );
    expect(model.countParams()).toBe(407_050);
    expect(model.layers.map((l) => l.name)).toEqual(['dense', 'dense_1']);
  });

  it('names layers like Keras and shows unbuilt layers', () => {
    const a = new Dense({ units: 2 });
    const b = new Dense({ units: 2 });
    const [, suffix] = b.name.split('_');
    expect(a.name === 'dense' || /^dense_\d+$/.test(a.name)).toBe(true);
    expect(Number(suffix)).toBeGreaterThan(0);
    const model = new Sequential([a, b]);
    const lines: string[] = [];
    model.summary((line) => lines.push(line));
    expect(lines.find((l) => l.includes(a.name))).toMatch(/│ \?\s+│\s+0 \(unbuilt\) │$/);
    expect(lines.at(-3)).toBe(' Total params: 0 (0.00 B)');
  });

  it('builds from an Input layer and shows Flatten/Reshape/Dropout shapes', () => {
    const model = new Sequential([
      layers.input({ shape: [28, 28] }),
      layers.flatten(),
      layers.dense({ units: 32, activation: 'relu' }),
      layers.dropout({ rate: 0.5 }),
      layers.reshape({ targetShape: [4, -1] }),
    ]);
    const lines: string[] = [];
    model.summary((line) => lines.push(line));
    const text = lines.join('\n');
    expect(text).toMatch(/flatten\S* \(Flatten\)\s+│ \(None, 784\)\s+│\s+0 │/);
    expect(text).toMatch(/\(Dense\)\s+│ \(None, 32\)\s+│\s+25,120 │/);
    expect(text).toMatch(/\(Reshape\)\s+│ \(None, 4, 8\)\s+│/);
    expect(model.layers).toHaveLength(4);
  });
});
