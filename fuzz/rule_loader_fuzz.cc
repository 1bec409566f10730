// Fuzzes the rule loader and the rule-set checks on arbitrary bytes: they
// must never crash, hang or read out of bounds, whatever the text. Every
// diagnostic must point inside the file and render.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "base/utf8.h"
#include "rules/rule_source.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  xuncha::rules::LoadOptions options;
  options.max_file_bytes = 1 << 16;
  options.max_rules = 500;
  xuncha::rules::LoadedRuleSet loaded;
  std::vector<xuncha::Diagnostic> diagnostics;
  xuncha::Status status =
      xuncha::rules::LoadRuleSetFromString("fuzz.textproto", text, options, &loaded, &diagnostics);
  if (status.ok()) xuncha::check::CheckRuleSet(loaded, &diagnostics);
  xuncha::SortDiagnostics(&diagnostics);
  for (const xuncha::Diagnostic& d : diagnostics) {
    if (d.location.offset > size) std::abort();
    std::string rendered = d.ToString();
    // What a person reads stays UTF-8, whatever the input.
    if (!xuncha::utf8::IsValid(rendered) || !xuncha::utf8::IsValid(d.rule_id)) std::abort();
  }
  // Every recorded position is inside the file, and the `when` maps agree
  // with the decoded strings.
  for (size_t i = 0; i < loaded.rules.size(); ++i) {
    const auto& src = loaded.rules[i];
    if (src.rule_offset > size) std::abort();
    for (const auto& [key, offset] : src.field_offsets) {
      if (offset > size) std::abort();
    }
    if (!src.when_map.empty()) {
      if (src.when_map.decoded_size() != loaded.set.rule(static_cast<int>(i)).when().size()) {
        std::abort();
      }
      for (uint32_t k = 0; k <= src.when_map.decoded_size(); ++k) {
        if (src.when_map.FileOffset(k) > size) std::abort();
      }
    }
  }
  if (loaded.rules.size() != static_cast<size_t>(loaded.set.rule_size())) std::abort();
  if (loaded.lexicons.size() != static_cast<size_t>(loaded.set.lexicon_size())) std::abort();
  if (loaded.patterns.size() != static_cast<size_t>(loaded.set.pattern_size())) std::abort();
  return 0;
}
