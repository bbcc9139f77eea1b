/**
 * JSON documents as sent, for the last few distinct answers. index.json with thousands of layers
 * costs more to build and serialize than to ask the database about: the key is everything the
 * document is made from (the visibility signature and the base URL), never who asked, so two
 * roles share an entry only when the database gave them the same answer.
 */
export class RenderedDocumentCache {
  private readonly entries = new Map<string, string>();

  constructor(private readonly capacity: number) {}

  render(key: string, make: () => unknown): string {
    const known = this.entries.get(key);
    if (known !== undefined) return known;
    const json = JSON.stringify(make());
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, json);
    return json;
  }
}
