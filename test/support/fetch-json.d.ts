// Tests read JSON bodies whose shapes they assert on; let `response.json()` be `any` there
// (Node's own typing says `unknown`, which would need a cast on every line of every spec).
interface Response {
  json<T = any>(): Promise<T>;
}
