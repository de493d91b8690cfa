// JSON writer: Go's json.Marshal string escaping and MarshalIndent layout.
#include "flint/base/json.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <map>

namespace flint::json {

namespace {

constexpr char kHex[] = "0123456789abcdef";

// Bytes < 0x80 that Go's htmlSafeSet lets through unescaped.
constexpr bool isHtmlSafe(unsigned char c)
{
	return c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' && c < 0x80;
}

// Length of the valid UTF-8 sequence at s[i] (s[i] >= 0x80), 0 if invalid;
// the rules of Go's utf8.DecodeRuneInString.
std::size_t utf8Length(std::string_view s, std::size_t i)
{
	auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
	auto cont = [&](std::size_t k, unsigned char lo, unsigned char hi) {
		return i + k < s.size() && at(k) >= lo && at(k) <= hi;
	};
	unsigned char c = at(0);
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

} // namespace

void appendQuoted(std::string &out, std::string_view s)
{
	out.reserve(out.size() + s.size() + 2);
	out.push_back('"');
	std::size_t start = 0;
	std::size_t i = 0;
	while (i < s.size()) {
		unsigned char b = static_cast<unsigned char>(s[i]);
		if (b < 0x80) {
			if (isHtmlSafe(b)) {
				i++;
				continue;
			}
			out.append(s, start, i - start);
			out.push_back('\\');
			switch (b) {
			case '\\':
			case '"':
				out.push_back(static_cast<char>(b));
				break;
			case '\n':
				out.push_back('n');
				break;
			case '\r':
				out.push_back('r');
				break;
			case '\t':
				out.push_back('t');
				break;
			default:
				out += "u00";
				out.push_back(kHex[b >> 4]);
				out.push_back(kHex[b & 0xF]);
				break;
			}
			start = ++i;
			continue;
		}
		std::size_t len = utf8Length(s, i);
		if (len == 0) {
			out.append(s, start, i - start);
			out += "\\ufffd";
			start = ++i;
			continue;
		}
		// U+2028 and U+2029 are E2 80 A8 / E2 80 A9.
		if (len == 3 && b == 0xE2 && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
		    (static_cast<unsigned char>(s[i + 2]) & 0xFE) == 0xA8) {
			out.append(s, start, i - start);
			out += "\\u202";
			out.push_back(kHex[static_cast<unsigned char>(s[i + 2]) & 0xF]);
			i += len;
			start = i;
			continue;
		}
		i += len;
	}
	out.append(s, start, s.size() - start);
	out.push_back('"');
}

Writer::Writer(std::string &out, std::string_view indent)
	: out_(out), indent_(indent)
{
}

void Writer::newline()
{
	if (indent_.empty())
		return;
	out_.push_back('\n');
	for (std::size_t i = 0; i < hasElement_.size(); i++)
		out_ += indent_;
}

// Separates a value or key from what came before it in its container.
void Writer::beforeValue()
{
	if (afterKey_) {
		afterKey_ = false;
		return;
	}
	if (hasElement_.empty())
		return;
	if (hasElement_.back())
		out_.push_back(',');
	hasElement_.back() = true;
	newline();
}

void Writer::beginObject()
{
	beforeValue();
	out_.push_back('{');
	hasElement_.push_back(false);
}

void Writer::endObject()
{
	bool had = hasElement_.back();
	hasElement_.pop_back();
	if (had)
		newline();
	out_.push_back('}');
}

void Writer::beginArray()
{
	beforeValue();
	out_.push_back('[');
	hasElement_.push_back(false);
}

void Writer::endArray()
{
	bool had = hasElement_.back();
	hasElement_.pop_back();
	if (had)
		newline();
	out_.push_back(']');
}

void Writer::key(std::string_view k)
{
	beforeValue();
	appendQuoted(out_, k);
	out_ += indent_.empty() ? ":" : ": ";
	afterKey_ = true;
}

void Writer::string(std::string_view s)
{
	beforeValue();
	appendQuoted(out_, s);
}

void Writer::number(std::int64_t n)
{
	beforeValue();
	out_ += std::to_string(n);
}

void Writer::numberLiteral(std::string_view literal)
{
	beforeValue();
	out_ += literal;
}

void Writer::boolean(bool b)
{
	beforeValue();
	out_ += b ? "true" : "false";
}

void Writer::null()
{
	beforeValue();
	out_ += "null";
}

namespace {

// A JSON number as Go's encoding/json prints a float64 it decoded into
// interface{}: the shortest digits that round-trip, in 'f' format padded
// with zeros (12345678901234567000, not the exact 12345678901234567168),
// or in 'e' format below 1e-6 and from 1e21 on, with a two-digit exponent
// at least (1e-7, 1e+21).
std::string goFloat(const std::string &literal)
{
	double v = std::strtod(literal.c_str(), nullptr);
	double a = std::fabs(v);
	char buf[64];
	auto res = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
	std::string s(buf, res.ptr); // [-]d[.ddd]e[+-]XX
	if (a != 0 && (a < 1e-6 || a >= 1e21)) {
		// Go writes e-7 where C++ writes e-07.
		if (std::size_t e = s.find("e-0"); e != std::string::npos && e + 3 < s.size())
			s.erase(e + 2, 1);
		return s;
	}
	const bool negative = s[0] == '-';
	const std::size_t e = s.find('e');
	std::string digits;
	for (std::size_t i = negative ? 1 : 0; i < e; i++)
		if (s[i] != '.')
			digits += s[i];
	// The value is 0.digits * 10^point.
	const long point = std::strtol(s.c_str() + e + 1, nullptr, 10) + 1;
	std::string out = negative ? "-" : "";
	if (point <= 0) {
		out += "0." + std::string(static_cast<std::size_t>(-point), '0') + digits;
	} else if (static_cast<std::size_t>(point) >= digits.size()) {
		out += digits + std::string(static_cast<std::size_t>(point) - digits.size(), '0');
	} else {
		out += digits.substr(0, static_cast<std::size_t>(point)) + "." +
		       digits.substr(static_cast<std::size_t>(point));
	}
	return out;
}

} // namespace

// Re-encodes a parsed document as Go's json.Marshal of the interface{} that
// json.Unmarshal made of it: objects as maps (keys sorted, last duplicate
// wins), numbers as float64.
void writeGoAny(Writer &w, const Value &v)
{
	switch (v.kind) {
	case Kind::Null:
		w.null();
		break;
	case Kind::Bool:
		w.boolean(v.boolean);
		break;
	case Kind::Number:
		w.numberLiteral(goFloat(v.text));
		break;
	case Kind::String:
		w.string(v.text);
		break;
	case Kind::Array:
		w.beginArray();
		for (const Value &i : v.items)
			writeGoAny(w, i);
		w.endArray();
		break;
	case Kind::Object: {
		std::map<std::string, const Value *> members;
		for (const Member &m : v.members)
			members[m.key] = &m.value;
		w.beginObject();
		for (const auto &[k, val] : members) {
			w.key(k);
			writeGoAny(w, *val);
		}
		w.endObject();
		break;
	}
	}
}


} // namespace flint::json
