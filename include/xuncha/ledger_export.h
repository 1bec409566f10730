// Exports of the problem ledger that people use: CSV for Excel, .xlsx, and
// the data exports JSONL / binary of LedgerEntry.
//
//   xuncha::ExportOptions opts;
//   opts.audience = "public";        // only entries disclosed to the public
//   opts.mask_personal_data = true;  // 张** / 110***********1234 / 138****5678
//   xuncha::Status s = xuncha::ExportLedger(*ledger, "xlsx", "台账.xlsx", opts);
//
// Columns are those of DOMAIN.md §7 with Chinese headers (LedgerColumns());
// ids appear by their Chinese names; amounts are exact yuan with two
// decimals ("5200000.00"); dates are "YYYY-MM-DD".
//
// Disclosure: every export shows only the entries VisibleTo(entry,
// audience): public sees public entries, internal sees public and internal,
// withheld sees all.
//
// Masking (mask_personal_data), exactly:
//   * a person's name (the responsible leader and person, counterparties of
//     kind person, and every occurrence of such a counterparty's name in the
//     texts) -> its first character followed by "**": 张三 -> 张**;
//   * names written as a common surname followed by 某/某某/X/XX/x/×/Ｘ in
//     texts (张某某, 李X, 王某) -> the surname followed by "**" (张**),
//     except where the match continues as an organisation (某公司, 某单位,
//     某部门, 某项目, 某集团, 某企业, 某科室, 某供应商, 某银行);
//   * 18-digit resident ID numbers (17 digits + digit or X, plausible birth
//     date) -> first 3 + 11 "*" + last 4: 110***********1234;
//   * 11-digit mainland mobile numbers (1[3-9]…, not inside a longer digit
//     run) -> first 3 + "****" + last 4: 138****5678.
// Ids, amounts, dates and taxonomy names are never masked.
//
// Every file is written atomically (temp file in the same folder, fsync,
// rename). Output is deterministic: entries in seq order.

#ifndef XUNCHA_LEDGER_EXPORT_H_
#define XUNCHA_LEDGER_EXPORT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "xuncha/export.h"
#include "xuncha/ledger.h"
#include "xuncha/status.h"
#include "xuncha/v1/ledger.pb.h"

namespace xuncha {

struct ExportOptions {
  std::string audience = "internal";  // public | internal | withheld
  bool mask_personal_data = false;
  // xlsx: write rows straight to disk (inline strings instead of the shared
  // string table); for very large ledgers. Off by default.
  bool xlsx_constant_memory = false;
};

// The 29 column headers of DOMAIN.md §7, in order.
XUNCHA_EXPORT const std::vector<std::string_view>& LedgerColumns();
// One row of cells for `entry`, as exported (masked if asked).
XUNCHA_EXPORT std::vector<std::string> LedgerRow(const v1::LedgerEntry& entry,
                                                 const ExportOptions& options);

// "5200000.00" from 520000000 fen; "-3.05" from -305.
XUNCHA_EXPORT std::string FormatYuan(int64_t fen);

// Masking (see the header comment). MaskText masks ID numbers, mobiles,
// 张某某-style names and each of `person_names` in `text`.
XUNCHA_EXPORT std::string MaskName(std::string_view name);
XUNCHA_EXPORT std::string MaskText(std::string_view text,
                                   const std::vector<std::string>& person_names = {});
// The entry with its personal data masked in every text field (finding
// text, counterparties of kind person, responsible people, explanations,
// notes, history notes).
XUNCHA_EXPORT v1::LedgerEntry MaskEntry(const v1::LedgerEntry& entry);

// CSV for Excel: UTF-8 with BOM, CRLF line ends, every field quoted ("" for
// a quote inside), header row first.
XUNCHA_EXPORT std::string LedgerCsv(const std::vector<v1::LedgerEntry>& entries,
                                    const ExportOptions& options = {});

// Formats: "csv", "xlsx", "jsonl" (one LedgerEntry per line, protobuf JSON
// with original field names), "binpb" (varint-length-delimited LedgerEntry
// messages, as protobuf's writeDelimitedTo).
XUNCHA_EXPORT bool IsExportFormat(std::string_view format);

// Writes `entries` (filtered by audience, masked if asked). Returns the
// number of rows written; INVALID_ARGUMENT for an unknown format or
// audience, an errno or xlsxwriter error for I/O.
XUNCHA_EXPORT StatusOr<int64_t> WriteLedger(const std::vector<v1::LedgerEntry>& entries,
                                            std::string_view format, const std::string& path,
                                            const ExportOptions& options = {});
// Streams the ledger's entries (with history for jsonl/binpb) to `path`.
XUNCHA_EXPORT StatusOr<int64_t> ExportLedger(Ledger& ledger, std::string_view format,
                                             const std::string& path,
                                             const ExportOptions& options = {});

}  // namespace xuncha

#endif  // XUNCHA_LEDGER_EXPORT_H_
