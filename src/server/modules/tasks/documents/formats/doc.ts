/** Text of an old Word 97–2003 .doc (word-extractor): table cells come out tab-separated. */
import WordExtractor from 'word-extractor';

export async function readDoc(bytes: Uint8Array): Promise<string> {
  const doc = await new WordExtractor().extract(Buffer.from(bytes));
  return doc
    .getBody()
    .split('\n')
    .map((line) => line.replace(/\t+$/, ''))
    .join('\n');
}
