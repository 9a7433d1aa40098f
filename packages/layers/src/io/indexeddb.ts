/** `indexeddb://<key>` storage in the browser: one object store of byte arrays. A put is one transaction, so atomic. */
export const INDEXEDDB_SCHEME = 'indexeddb://';
const DATABASE = 'strata-models';
const STORE = 'files';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function withStore<T>(mode: IDBTransactionMode, fn: (store: IDBObjectStore) => IDBRequest<T>, where: string): Promise<T> {
  if (typeof indexedDB === 'undefined') throw new Error(`${where}: IndexedDB is not available in this environment; use a file path (Node) or bytes`);
  const opening = indexedDB.open(DATABASE, 1);
  opening.onupgradeneeded = () => opening.result.createObjectStore(STORE);
  const db = await request(opening);
  try {
    const transaction = db.transaction(STORE, mode);
    const committed = new Promise<void>((resolve, reject) => {
      transaction.oncomplete = () => resolve();
      transaction.onerror = transaction.onabort = () => reject(transaction.error);
    });
    const [result] = await Promise.all([request(fn(transaction.objectStore(STORE))), committed]);
    return result;
  } finally {
    db.close();
  }
}

export async function putBytes(key: string, bytes: Uint8Array, where: string): Promise<void> {
  await withStore('readwrite', (store) => store.put(bytes, key), where);
}

export async function getBytes(key: string, where: string): Promise<Uint8Array> {
  const value: unknown = await withStore('readonly', (store) => store.get(key), where);
  if (!(value instanceof Uint8Array)) throw new Error(`${where}: nothing saved at ${INDEXEDDB_SCHEME}${key}`);
  return value;
}
