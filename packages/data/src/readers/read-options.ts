export interface ReadOptions {
  /** CSV/TSV: field delimiter (one ASCII character); `,` for .csv, tab for .tsv. */
  delimiter?: string;
  /** CSV/TSV: whether the first row names the columns (default true). */
  header?: boolean;
  /** A row longer than this many bytes is reported and skipped (16 MiB). */
  maxRowBytes?: number;
  /** Bytes per read (1 MiB). */
  chunkBytes?: number;
  /** Progress: called with the file bytes consumed by each read. */
  onProgress?: (bytes: number) => void;
}

/** What reading one file (or byte range) found. */
export interface ReadStats {
  file: string;
  /** Rows handed to the sink. */
  rows: number;
  /** Rows reported as issues. */
  malformed: number;
  /** Bytes read (decompressed bytes for gzip; the range's bytes for a range). */
  bytes: number;
  /** Lines consumed (text formats): to turn a range's relative lines into file lines. */
  lines: number;
  /** Byte offset where reading stopped: the start of the next range's first row. */
  endOffset: number;
}
