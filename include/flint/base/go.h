// Exact re-implementations of the Go standard library functions whose
// behaviour Ignition's validation results depend on (path, strconv, utf8,
// unicode, encoding/json key folding), as in Go 1.19.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace flint::go {

// path.Clean: the shortest lexically equivalent slash-separated path;
// "" becomes ".".
std::string pathClean(std::string_view p);

// path.IsAbs: p starts with '/'.
bool pathIsAbs(std::string_view p);

// path.Join of two elements: empty elements are ignored, the result is
// cleaned, and two empty elements give "".
std::string pathJoin(std::string_view a, std::string_view b);

// path.Dir: everything but the last element, cleaned.
std::string pathDir(std::string_view p);

// path.Base: the last element; "" gives ".", all slashes give "/".
std::string pathBase(std::string_view p);

// path.Ext: the suffix from the last '.' of the last element, or "".
std::string_view pathExt(std::string_view p);

// encoding/json's key matching (fold.go's foldFunc(a)(a, b)): `a` is the Go
// field name, `b` the key from the document. ASCII letters match either
// case; 'k'/'K' also match U+212A KELVIN SIGN and 's'/'S' U+017F LATIN SMALL
// LETTER LONG S in `b`. Field names are ASCII in practice; a non-ASCII `a`
// (bytes.EqualFold in Go) is compared rune by rune with only those folds.
bool equalFold(std::string_view a, std::string_view b);

// strconv.ParseInt(s, 10, 64): an optional '+' or '-', then one or more
// ASCII digits, within int64 ("-0" and "+7" are accepted; "1e2", "420.5",
// "", "-", "1_0" and out-of-range values are not).
std::optional<std::int64_t> parseInt64(std::string_view s);

// strconv.Quote (and fmt's %q for strings and byte slices): double-quoted,
// printable runes as they are (strconv.IsPrint, Unicode as in Go 1.19),
// \a \b \f \n \r \t \v, \xNN for other control and invalid bytes, \uNNNN
// and \UNNNNNNNN for other non-printable runes.
std::string quote(std::string_view s);

// strconv.Unquote for a literal quoted with '"' (the quotes included in
// `s`); nullopt where Go returns strconv.ErrSyntax ("invalid syntax").
std::optional<std::string> unquote(std::string_view s);

// strconv.IsPrint.
bool isPrint(char32_t r);

// unicode.IsSpace.
bool isSpace(char32_t r);

// utf8.DecodeRuneInString(s.substr(pos)): the rune and its width; an
// invalid or truncated sequence gives U+FFFD with width 1, the empty
// string U+FFFD with width 0.
struct DecodedRune {
	char32_t rune;
	std::size_t width;
};
DecodedRune decodeRune(std::string_view s, std::size_t pos = 0);

// utf8.AppendRune (utf8.EncodeRune): invalid runes (surrogates, above
// U+10FFFF) are written as U+FFFD.
void appendRune(std::string &out, char32_t r);

// utf8.ValidString.
bool validUtf8(std::string_view s);

// strings.TrimSpace / bytes.TrimSpace: removes leading and trailing
// unicode.IsSpace runes.
std::string_view trimSpace(std::string_view s);

} // namespace flint::go
