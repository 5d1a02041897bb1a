/** Public surface of the data module: built-in datasets, the query-file parser and splitting. */
export { BUILTIN_TRAIN } from './builtin-train';
export { BUILTIN_SEEDS } from './builtin-seeds';
export { BUILTIN_EVAL } from './builtin-eval';
export {
  parseQueryFile,
  parseQueryText,
  detectFormat,
  normalizeQueryText,
  MAX_QUERY_CHARS,
  MAX_QUERIES,
  type ParseReport,
  type SkippedRecord,
  type ParsedQueries,
  type QueryFileFormat,
} from './parse-queries';
export { splitQueries, interleaveByCategory, type QuerySplit } from './split';
export { csvField } from './csv';
export { mulberry32, seededShuffle, hashText } from './rng';
