/**
 * Progressive partials of a finished stage output, in key order, one per list item: what a
 * streaming model would have produced so far. Finished items are shared between
 * snapshots; only the containers being filled are copied.
 */

type Tree = Record<string, unknown>;

function isObject(value: unknown): value is Tree {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Snapshots of `output` growing from empty to complete. */
export function* partials(output: Tree): Generator<Tree> {
  const root: Tree = {};
  const containers = new Set<unknown>([root]);
  const snapshot = (node: unknown): unknown => {
    if (!containers.has(node)) return node;
    if (Array.isArray(node)) return node.map(snapshot);
    return Object.fromEntries(Object.entries(node as Tree).map(([k, v]) => [k, snapshot(v)]));
  };
  const emit = () => snapshot(root) as Tree;

  function* grow(target: Tree, source: Tree): Generator<Tree> {
    let pending = false;
    for (const [key, value] of Object.entries(source)) {
      if (Array.isArray(value) && value.some(isObject)) {
        if (pending) yield emit();
        pending = false;
        const list: unknown[] = [];
        containers.add(list);
        target[key] = list;
        for (const item of value) {
          list.push(item);
          yield emit();
        }
      } else if (isObject(value)) {
        const child: Tree = {};
        containers.add(child);
        target[key] = child;
        yield* grow(child, value);
      } else {
        target[key] = value;
        pending = true;
      }
    }
    if (pending) yield emit();
  }
  yield* grow(root, output);
}
