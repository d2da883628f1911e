// Escaping lives in @mlci/common so every renderer (report, gate, registry, data) shares one
// implementation; the report re-exports it as part of its public surface.
export {
  type CodeSpanOptions,
  codeSpan,
  DEFAULT_MAX_TEXT_LENGTH,
  escapeText,
  link,
  safeUrl,
  type TextOptions,
  truncate,
} from "@mlci/common";
