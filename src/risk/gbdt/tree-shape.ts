/** Structure checks shared by every saved tree model (boosted trees, isolation forest). */

export interface TreeLinks {
  feature: ArrayLike<number>;
  left: ArrayLike<number>;
  right: ArrayLike<number>;
}

/**
 * Checks that flat node arrays form one tree rooted at node 0: split features in range, leaves
 * without children, children in range, no cycle or shared node, every node reached once.
 * `eachSplit` is called for every split node, for checks of the caller's own.
 */
export function checkTreeShape(
  tree: TreeLinks,
  count: number,
  features: number,
  where: string,
  eachSplit?: (k: number, left: number, right: number) => void,
): void {
  if (count === 0) throw new Error(`${where} has no nodes`);
  const seen = new Uint8Array(count);
  seen[0] = 1;
  const stack = [0];
  for (let k = stack.pop(); k !== undefined; k = stack.pop()) {
    const f = tree.feature[k] ?? -1;
    const left = tree.left[k] ?? -1;
    const right = tree.right[k] ?? -1;
    if (f >= features) {
      throw new Error(`${where} node ${k} splits on feature ${f}, expected -1 (leaf) or 0..${features - 1}`);
    }
    if (f === -1) {
      if (left !== -1 || right !== -1)
        throw new Error(`${where} node ${k} is a leaf but has children ${left}, ${right}`);
      continue;
    }
    for (const child of [left, right]) {
      if (child < 0 || child >= count) {
        throw new Error(`${where} node ${k} has child index ${child} out of range 0..${count - 1}`);
      }
      if (seen[child] === 1)
        throw new Error(`${where} node ${k} leads back to node ${child}: a cycle or a shared node`);
      seen[child] = 1;
      stack.push(child);
    }
    eachSplit?.(k, left, right);
  }
  const unreached = seen.indexOf(0);
  if (unreached >= 0) throw new Error(`${where} node ${unreached} cannot be reached from the root`);
}
