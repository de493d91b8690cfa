// A JSON reader that keeps byte offsets and reports errors as Go's encoding/json
// does, and a writer that encodes as Go's json.Marshal/MarshalIndent do.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flint::json {

enum class Kind { Null, Bool, Number, String, Array, Object };

struct Member;

// One node of a parsed document. Offsets are byte indices into the input.
struct Value {
	Kind kind = Kind::Null;
	// Where an error about this node points, as Ignition's vcontext tree does:
	// scalars point at their first byte; objects and arrays one byte past the
	// opening '{' / '['.
	std::size_t marker = 0;
	// One past the node's last byte (Go's decoder offset after reading it).
	// Go 1.19's *json.UnmarshalTypeError.Offset is `end` for a mismatched
	// scalar and `marker` for a mismatched object or array.
	std::size_t end = 0;
	bool boolean = false;
	// String: the decoded text (invalid UTF-8 replaced by U+FFFD, as Go does).
	// Number: the literal exactly as written.
	std::string text;
	std::vector<Value> items;    // Array
	std::vector<Member> members; // Object: every member in document order, duplicates included

	bool isNull() const { return kind == Kind::Null; }
	// The last member whose key equals `key` exactly (Go maps keep the last), or nullptr.
	const Value *find(std::string_view key) const;
};

struct Member {
	std::string key;           // decoded
	std::size_t keyMarker = 0; // the key's opening quote
	Value value;
};

// Go's *json.SyntaxError: message text as Go prints it and Go's offset (one
// past the offending byte; the input length for "unexpected end of JSON input").
struct SyntaxError {
	std::string message;
	std::size_t offset = 0;
};

struct ParseOutcome {
	std::optional<Value> value;
	std::optional<SyntaxError> error;
};

// Parses a whole document (one value, surrounding whitespace allowed).
// Never throws; nesting deeper than kMaxDepth is a syntax error
// ("invalid character '[' exceeded max depth", as Go 1.15+). The tree is at
// most kMaxDepth deep; code that walks it recursively must allow for that.
inline constexpr int kMaxDepth = 10000;
ParseOutcome parse(std::string_view text);

// Line and column as vcontext's FixLineColumn computes them: 1-based line,
// 1-based byte column; an offset at or past the end gives {0, 0}.
struct LineCol {
	long line = 0;
	long col = 0;
};

// Answers many offset queries on one document in O(log lines) each.
//
// The index is built on the first call to at(): most configs produce no
// report entries, and a large one has a million lines. `text` must outlive
// the LineIndex. Not thread-safe.
class LineIndex final
{
public:
	explicit LineIndex(std::string_view text) : text_(text) {}
	LineCol at(std::size_t offset) const;

private:
	std::string_view text_;
	mutable std::vector<std::size_t> lineStarts_; // empty until the first at()
};

// Go's quoteChar for syntax error messages: 'x', '\'', '"', '\x00', 'Ã' (a byte
// >= 0x80 is shown as the Latin-1 rune of that value, as Go's string(byte) does).
std::string quoteChar(unsigned char c);

// Go's json.Marshal string encoding, quotes included: <, >, & and U+2028/U+2029
// escaped as \u003c…, control characters as \n, \r, \t or \u00XX, invalid UTF-8
// as \ufffd.
void appendQuoted(std::string &out, std::string_view s);

class Writer;

// Writes a parsed document as Go's json.Marshal writes the `any` that
// json.Unmarshal made of it: objects with sorted keys (the last duplicate
// wins), numbers as float64 (1e+21, 1e-07, 0.5).
void writeGoAny(Writer &w, const Value &v);

// Streaming writer producing exactly what Go's json.Marshal (indent empty) or
// json.MarshalIndent(v, "", indent) would for the same sequence of values.
class Writer final
{
public:
	explicit Writer(std::string &out, std::string_view indent = {});

	void beginObject();
	void endObject();
	void beginArray();
	void endArray();
	void key(std::string_view k);
	void string(std::string_view s);
	void number(std::int64_t n);
	// A number already formatted as JSON (e.g. Go's float64 encoding).
	void numberLiteral(std::string_view literal);
	void boolean(bool b);
	void null();

private:
	void beforeValue();
	void newline();

	std::string &out_;
	std::string indent_;
	// One frame per open container: whether it has had an element yet.
	std::vector<bool> hasElement_;
	bool afterKey_ = false;
};

} // namespace flint::json
