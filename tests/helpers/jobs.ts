import type { TestApp } from './test-app.js';

/**
 * Reads `node(id)` with `query` until the export or run it names succeeded or failed, and
 * returns that node (a job runs in the background; its row is the only thing to watch).
 */
export async function finishedNode(
  t: TestApp,
  query: string,
  id: string,
  key: string,
): Promise<any> {
  for (let i = 0; i < 300; i++) {
    const node = (await t.graphql(query, { variables: { id }, key })).body.data?.node;
    if (node && (node.status === 'SUCCEEDED' || node.status === 'FAILED')) return node;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${id} did not finish`);
}
