// A fast reader for the one shape of text a trained model file has.
//
// A model file (tools/train_text_model.py) is a `model { … }` of a few
// hundred thousand `feature { gram: "…" label_index: […] weight: […] }`
// lines. Protobuf's TextFormat parser reads it at about 20 MB/s, which was
// most of the time `xuncha check rules/default` took. ParseModelText reads
// the same text directly, and only that: anything it is not sure it reads as
// TextFormat would (another spelling of a field, an escape other than the
// quote, backslash, n, r and t ones, a float suffix, a hex number, a repeated
// singular field, an unknown name, a separator) makes it return false, and the caller parses
// with TextFormat, which also gives the error and its position. So the fast
// path never changes what a file means; fuzz/model_text_fuzz.cc and
// tests/rules/model_text_test.cc check that it agrees with TextFormat.

#ifndef XUNCHA_RULES_MODEL_TEXT_H_
#define XUNCHA_RULES_MODEL_TEXT_H_

#include <string_view>

#include "xuncha/v1/rules.pb.h"

namespace xuncha::rules {

// Reads `text`, which must be blanks and `#` comments, one `model { … }`,
// then blanks and comments, into `*model` (cleared first). Returns false,
// with `*model` unspecified, when the text is not in the shape described
// above; it may still be a valid TextFormat.
bool ParseModelText(std::string_view text, v1::TextModel* model);

}  // namespace xuncha::rules

#endif  // XUNCHA_RULES_MODEL_TEXT_H_
