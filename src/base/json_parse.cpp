// JSON reader: one pass that checks syntax exactly as Go's encoding/json
// scanner does (same messages, same offsets) and builds the value tree.
#include "flint/base/json.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>

namespace flint::json {

namespace {

// What a byte means inside a string literal, so the common case is one load
// and one compare.
enum ByteClass : unsigned char {
	kPlain = 0,   // printable ASCII other than '"' and '\\'
	kSpecial = 1, // '"', '\\' or a control character
	kHigh = 2,    // >= 0x80: part of a multi-byte sequence, maybe invalid
};

constexpr std::array<unsigned char, 256> makeByteClasses()
{
	std::array<unsigned char, 256> t{};
	for (int c = 0; c < 256; c++) {
		if (c < 0x20 || c == '"' || c == '\\')
			t[c] = kSpecial;
		else if (c >= 0x80)
			t[c] = kHigh;
		else
			t[c] = kPlain;
	}
	return t;
}

constexpr std::array<unsigned char, 256> kByteClasses = makeByteClasses();

constexpr char kReplacement[] = "\xEF\xBF\xBD"; // U+FFFD

bool isSpace(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool isDigit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

int hexValue(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

// Length of the valid UTF-8 sequence starting at s[p] (lead byte >= 0x80),
// or 0 where Go's utf8.DecodeRune would return (RuneError, 1).
std::size_t utf8Length(const unsigned char *s, std::size_t p, std::size_t n)
{
	unsigned char c = s[p];
	auto cont = [&](std::size_t i, unsigned char lo, unsigned char hi) {
		return p + i < n && s[p + i] >= lo && s[p + i] <= hi;
	};
	if (c >= 0xC2 && c <= 0xDF)
		return cont(1, 0x80, 0xBF) ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;
		unsigned char hi = c == 0xED ? 0x9F : 0xBF;
		return cont(1, lo, hi) && cont(2, 0x80, 0xBF) ? 3 : 0;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		unsigned char lo = c == 0xF0 ? 0x90 : 0x80;
		unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;
		return cont(1, lo, hi) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF) ? 4 : 0;
	}
	return 0;
}

void appendUtf8(std::string &out, std::uint32_t r)
{
	if (r < 0x80) {
		out.push_back(static_cast<char>(r));
	} else if (r < 0x800) {
		out.push_back(static_cast<char>(0xC0 | (r >> 6)));
		out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
	} else if (r < 0x10000) {
		out.push_back(static_cast<char>(0xE0 | (r >> 12)));
		out.push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
		out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
	} else {
		out.push_back(static_cast<char>(0xF0 | (r >> 18)));
		out.push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
		out.push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
		out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
	}
}

// The document parser. Containers being filled are kept on an explicit stack
// of pointers: a parent's vector only grows after its open child has been
// closed and popped, so the pointers stay valid.
class Parser final
{
public:
	explicit Parser(std::string_view text)
		: s_(reinterpret_cast<const unsigned char *>(text.data())), n_(text.size())
	{
	}

	ParseOutcome run();

private:
	enum class State { Value, ArrayFirst, ObjectFirst, Key, AfterKey, AfterValue };

	// Go's scanner.error: the byte that failed and the count of bytes read
	// including it. At the end of input Go feeds a space to the current
	// state without counting it, so the byte is ' ' and the offset n.
	bool fail(std::size_t pos, const char *context)
	{
		unsigned char c = pos < n_ ? s_[pos] : ' ';
		std::size_t offset = pos < n_ ? pos + 1 : n_;
		error_.message = "invalid character " + quoteChar(c) + " " + context;
		error_.offset = offset;
		return false;
	}

	bool failEnd()
	{
		error_.message = "unexpected end of JSON input";
		error_.offset = n_;
		return false;
	}

	void skipSpace()
	{
		while (p_ < n_ && isSpace(s_[p_]))
			p_++;
	}

	bool parseString(std::string &out);
	bool parseNumber(Value &v);
	bool parseLiteral(const char *word, const char *context);

	const unsigned char *s_;
	std::size_t n_;
	std::size_t p_ = 0;
	SyntaxError error_;
};

// Parses the string literal whose opening quote is at p_, leaving p_ one past
// the closing quote.
bool Parser::parseString(std::string &out)
{
	p_++;
	std::size_t run = p_;
	for (;;) {
		// Fast path over plain bytes and valid UTF-8.
		while (p_ < n_) {
			unsigned char cls = kByteClasses[s_[p_]];
			if (cls == kPlain) {
				p_++;
			} else if (cls == kHigh) {
				std::size_t len = utf8Length(s_, p_, n_);
				if (len == 0)
					break;
				p_ += len;
			} else {
				break;
			}
		}
		if (p_ >= n_)
			return failEnd();
		out.append(reinterpret_cast<const char *>(s_ + run), p_ - run);
		unsigned char c = s_[p_];
		if (c == '"') {
			p_++;
			return true;
		}
		if (c >= 0x80) {
			// Go's decoder coerces each byte of an invalid sequence to U+FFFD.
			out.append(kReplacement, 3);
			run = ++p_;
			continue;
		}
		if (c != '\\')
			return fail(p_, "in string literal");

		p_++;
		if (p_ >= n_)
			return fail(p_, "in string escape code");
		switch (s_[p_]) {
		case '"':
		case '\\':
		case '/':
			out.push_back(static_cast<char>(s_[p_]));
			break;
		case 'b':
			out.push_back('\b');
			break;
		case 'f':
			out.push_back('\f');
			break;
		case 'n':
			out.push_back('\n');
			break;
		case 'r':
			out.push_back('\r');
			break;
		case 't':
			out.push_back('\t');
			break;
		case 'u': {
			std::uint32_t r = 0;
			for (int i = 1; i <= 4; i++) {
				if (p_ + i >= n_)
					return fail(n_, "in \\u hexadecimal character escape");
				int h = hexValue(s_[p_ + i]);
				if (h < 0)
					return fail(p_ + i, "in \\u hexadecimal character escape");
				r = r * 16 + static_cast<std::uint32_t>(h);
			}
			p_ += 4;
			if (r >= 0xD800 && r < 0xE000) {
				// As Go's unquote: a high surrogate followed by a \u low
				// surrogate is one rune; anything else is U+FFFD and the
				// following escape is decoded on its own.
				std::uint32_t r2 = 0;
				bool pair = r < 0xDC00 && p_ + 6 < n_ && s_[p_ + 1] == '\\' &&
					    s_[p_ + 2] == 'u';
				for (int i = 3; pair && i <= 6; i++) {
					int h = hexValue(s_[p_ + i]);
					if (h < 0)
						pair = false;
					else
						r2 = r2 * 16 + static_cast<std::uint32_t>(h);
				}
				if (pair && r2 >= 0xDC00 && r2 < 0xE000) {
					r = 0x10000 + ((r - 0xD800) << 10) + (r2 - 0xDC00);
					p_ += 6;
				} else {
					r = 0xFFFD;
				}
			}
			appendUtf8(out, r);
			break;
		}
		default:
			return fail(p_, "in string escape code");
		}
		run = ++p_;
	}
}

// Go's number states; the byte that ends the number is left for the caller,
// as Go hands it to stateEndValue.
bool Parser::parseNumber(Value &v)
{
	std::size_t start = p_;
	if (s_[p_] == '-') {
		p_++;
		if (p_ >= n_ || !isDigit(s_[p_]))
			return fail(p_, "in numeric literal");
	}
	if (s_[p_] == '0') {
		p_++;
	} else {
		while (p_ < n_ && isDigit(s_[p_]))
			p_++;
	}
	if (p_ < n_ && s_[p_] == '.') {
		p_++;
		if (p_ >= n_ || !isDigit(s_[p_]))
			return fail(p_, "after decimal point in numeric literal");
		while (p_ < n_ && isDigit(s_[p_]))
			p_++;
	}
	if (p_ < n_ && (s_[p_] == 'e' || s_[p_] == 'E')) {
		p_++;
		if (p_ < n_ && (s_[p_] == '+' || s_[p_] == '-'))
			p_++;
		if (p_ >= n_ || !isDigit(s_[p_]))
			return fail(p_, "in exponent of numeric literal");
		while (p_ < n_ && isDigit(s_[p_]))
			p_++;
	}
	v.kind = Kind::Number;
	v.text.assign(reinterpret_cast<const char *>(s_ + start), p_ - start);
	return true;
}

// `context` is Go's message prefix, e.g. "in literal true (expecting '"; the
// expected letter and "')" are appended on failure.
bool Parser::parseLiteral(const char *word, const char *context)
{
	std::size_t len = std::strlen(word);
	for (std::size_t i = 1; i < len; i++) {
		if (p_ + i >= n_ || s_[p_ + i] != static_cast<unsigned char>(word[i])) {
			std::string ctx = context;
			ctx.push_back(word[i]);
			ctx += "')";
			return fail(p_ + i, ctx.c_str());
		}
	}
	p_ += len;
	return true;
}

// Ends an object or array at `end`. Its elements are complete and nothing
// points into them any more, so the vector gives back its growth slack: on a
// large config that is a fifth of the tree's memory.
void close(Value &v, std::size_t end)
{
	v.end = end;
	v.items.shrink_to_fit();
	v.members.shrink_to_fit();
}

ParseOutcome Parser::run()
{
	Value root;
	std::vector<Value *> stack;
	stack.reserve(64);
	State state = State::Value;
	bool ok = true;

	while (ok) {
		switch (state) {
		case State::ArrayFirst:
			skipSpace();
			if (p_ < n_ && s_[p_] == ']') {
				close(*stack.back(), ++p_);
				stack.pop_back();
				state = State::AfterValue;
				break;
			}
			[[fallthrough]];
		case State::Value: {
			skipSpace();
			if (p_ >= n_) {
				ok = failEnd();
				break;
			}
			Value *v;
			if (stack.empty()) {
				v = &root;
			} else if (stack.back()->kind == Kind::Array) {
				v = &stack.back()->items.emplace_back();
			} else {
				v = &stack.back()->members.back().value;
			}
			unsigned char c = s_[p_];
			switch (c) {
			case '{':
			case '[':
				// Go pushes the parse state, then rejects depth 10001.
				if (stack.size() >= static_cast<std::size_t>(kMaxDepth)) {
					ok = fail(p_, "exceeded max depth");
					break;
				}
				v->kind = c == '{' ? Kind::Object : Kind::Array;
				v->marker = ++p_;
				stack.push_back(v);
				state = c == '{' ? State::ObjectFirst : State::ArrayFirst;
				break;
			case '"':
				v->kind = Kind::String;
				v->marker = p_;
				ok = parseString(v->text);
				v->end = p_;
				state = State::AfterValue;
				break;
			case 't':
			case 'f':
				v->kind = Kind::Bool;
				v->marker = p_;
				v->boolean = c == 't';
				ok = c == 't' ? parseLiteral("true", "in literal true (expecting '")
					      : parseLiteral("false", "in literal false (expecting '");
				v->end = p_;
				state = State::AfterValue;
				break;
			case 'n':
				v->marker = p_;
				ok = parseLiteral("null", "in literal null (expecting '");
				v->end = p_;
				state = State::AfterValue;
				break;
			default:
				if (c == '-' || isDigit(c)) {
					v->marker = p_;
					ok = parseNumber(*v);
					v->end = p_;
					state = State::AfterValue;
				} else {
					ok = fail(p_, "looking for beginning of value");
				}
				break;
			}
			break;
		}
		case State::ObjectFirst:
			skipSpace();
			if (p_ < n_ && s_[p_] == '}') {
				close(*stack.back(), ++p_);
				stack.pop_back();
				state = State::AfterValue;
				break;
			}
			[[fallthrough]];
		case State::Key: {
			skipSpace();
			if (p_ >= n_) {
				ok = failEnd();
				break;
			}
			if (s_[p_] != '"') {
				ok = fail(p_, "looking for beginning of object key string");
				break;
			}
			Member &m = stack.back()->members.emplace_back();
			m.keyMarker = p_;
			ok = parseString(m.key);
			state = State::AfterKey;
			break;
		}
		case State::AfterKey:
			skipSpace();
			if (p_ >= n_) {
				ok = failEnd();
			} else if (s_[p_] != ':') {
				ok = fail(p_, "after object key");
			} else {
				p_++;
				state = State::Value;
			}
			break;
		case State::AfterValue: {
			skipSpace();
			if (stack.empty()) {
				if (p_ < n_)
					ok = fail(p_, "after top-level value");
				else
					return ParseOutcome{ std::move(root), std::nullopt };
				break;
			}
			if (p_ >= n_) {
				ok = failEnd();
				break;
			}
			Value *top = stack.back();
			unsigned char c = s_[p_];
			bool isObject = top->kind == Kind::Object;
			if (c == ',') {
				p_++;
				state = isObject ? State::Key : State::Value;
			} else if (c == (isObject ? '}' : ']')) {
				close(*top, ++p_);
				stack.pop_back();
			} else {
				ok = fail(p_, isObject ? "after object key:value pair" : "after array element");
			}
			break;
		}
		}
	}
	return ParseOutcome{ std::nullopt, std::move(error_) };
}

} // namespace

const Value *Value::find(std::string_view key) const
{
	for (auto it = members.rbegin(); it != members.rend(); ++it) {
		if (it->key == key)
			return &it->value;
	}
	return nullptr;
}

ParseOutcome parse(std::string_view text)
{
	return Parser(text).run();
}

std::string quoteChar(unsigned char c)
{
	// strconv.Quote(string(rune(c))) between single quotes.
	if (c == '\'')
		return "'\\''";
	if (c == '"')
		return "'\"'";
	static constexpr char kHex[] = "0123456789abcdef";
	std::string s = "'";
	switch (c) {
	case '\a':
		s += "\\a";
		break;
	case '\b':
		s += "\\b";
		break;
	case '\f':
		s += "\\f";
		break;
	case '\n':
		s += "\\n";
		break;
	case '\r':
		s += "\\r";
		break;
	case '\t':
		s += "\\t";
		break;
	case '\v':
		s += "\\v";
		break;
	case '\\':
		s += "\\\\";
		break;
	default:
		if (c < 0x20 || c == 0x7F) {
			s += "\\x";
			s.push_back(kHex[c >> 4]);
			s.push_back(kHex[c & 0xF]);
		} else if (c < 0x80) {
			s.push_back(static_cast<char>(c));
		} else if (c < 0xA1 || c == 0xAD) {
			// Not printable by strconv.IsPrint: C1 controls, NBSP, soft hyphen.
			s += "\\u00";
			s.push_back(kHex[c >> 4]);
			s.push_back(kHex[c & 0xF]);
		} else {
			appendUtf8(s, c);
		}
		break;
	}
	s += "'";
	return s;
}

LineCol LineIndex::at(std::size_t offset) const
{
	if (offset >= text_.size())
		return {};
	if (lineStarts_.empty()) {
		lineStarts_.push_back(0);
		for (std::size_t p = text_.find('\n'); p != std::string_view::npos; p = text_.find('\n', p + 1))
			lineStarts_.push_back(p + 1);
	}
	auto it = std::upper_bound(lineStarts_.begin(), lineStarts_.end(), offset);
	std::size_t line = static_cast<std::size_t>(it - lineStarts_.begin());
	return { static_cast<long>(line), static_cast<long>(offset - lineStarts_[line - 1] + 1) };
}

} // namespace flint::json
