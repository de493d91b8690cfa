// vincent-petithory/dataurl's lexer and parser ported state by state, with Go's
// base64.StdEncoding decoder; items are handled as the lexer emits them.
#include "flint/base/dataurl.h"

#include <array>
#include <cstdint>
#include <optional>

#include "flint/base/go.h"

namespace flint {

namespace {

using Rune = std::int32_t;
constexpr Rune kEof = -1;

bool isTSpecial(Rune r)
{
	switch (r) {
	case '(': case ')': case '<': case '>': case '@': case ',': case ';': case ':':
	case '\\': case '"': case '/': case '[': case ']': case '?': case '=':
		return true;
	default:
		return false;
	}
}

// r <= MaxASCII, not unicode.IsControl, not unicode.IsSpace, not a tspecial.
bool isTokenRune(Rune r)
{
	return r > 0x20 && r < 0x7F && !isTSpecial(r);
}

constexpr std::array<bool, 128> makeUrlCharTable()
{
	std::array<bool, 128> t{};
	for (int c = 0x20; c < 0x7F; c++)
		t[c] = true;
	for (char c : std::string_view(" <>#\"{}|\\^[]`"))
		t[static_cast<unsigned char>(c)] = false;
	return t;
}
constexpr std::array<bool, 128> kUrlChar = makeUrlCharTable();

constexpr std::array<std::uint8_t, 256> makeBase64Map()
{
	std::array<std::uint8_t, 256> m{};
	for (auto &v : m)
		v = 0xFF;
	constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	for (std::size_t i = 0; i < alphabet.size(); i++)
		m[static_cast<unsigned char>(alphabet[i])] = static_cast<std::uint8_t>(i);
	return m;
}
constexpr std::array<std::uint8_t, 256> kBase64Map = makeBase64Map();

// The bytes a data part may hold, indexed by any byte (>= 0x80: none), for
// the lexer's scan over a payload of megabytes.
constexpr std::array<bool, 256> makeDataByteTable(bool base64)
{
	std::array<bool, 256> t{};
	for (int c = 0; c < 0x80; c++)
		t[c] = base64 ? (kBase64Map[c] != 0xFF || c == '=' || c == '\n') : kUrlChar[c];
	// (base64: the alphabet, padding and '\n'; not '\r', as the library)
	return t;
}
constexpr std::array<bool, 256> kDataByte = makeDataByteTable(false);
constexpr std::array<bool, 256> kBase64DataByte = makeDataByteTable(true);

bool hasPrefix(std::string_view s, std::string_view prefix)
{
	return s.substr(0, prefix.size()) == prefix;
}

bool isDiscreteType(std::string_view s)
{
	return hasPrefix(s, "text") || hasPrefix(s, "image") || hasPrefix(s, "audio") ||
	       hasPrefix(s, "video") || hasPrefix(s, "application");
}

bool isCompositeType(std::string_view s)
{
	return hasPrefix(s, "message") || hasPrefix(s, "multipart");
}

bool isHex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

unsigned unhex(char c)
{
	if (c >= '0' && c <= '9')
		return static_cast<unsigned>(c - '0');
	if (c >= 'a' && c <= 'f')
		return static_cast<unsigned>(c - 'a' + 10);
	return static_cast<unsigned>(c - 'A' + 10);
}

// Where the decoders put bytes: a string, or nowhere (checking only).
struct AppendTo {
	std::string &out;
	void reserve(std::size_t n) { out.reserve(n); }
	void push(char c) { out.push_back(c); }
};
struct Discard {
	void reserve(std::size_t) {}
	void push(char) {}
};

// rfc2396.go's Unescape. The library prints the '%' rune, not the bad
// byte, so the message always says 0x25.
template<typename Out>
Result<void> rfc2396Unescape(std::string_view s, Out out)
{
	out.reserve(s.size());
	for (std::size_t i = 0; i < s.size();) {
		const char c = s[i];
		if (static_cast<unsigned char>(c) >= 0x80) {
			go::DecodedRune d = go::decodeRune(s, i);
			if (d.width > 1)
				return unexpected("rfc2396: non-ASCII char detected");
			out.push(static_cast<char>(0xFD)); // byte(utf8.RuneError)
			i++;
			continue;
		}
		if (c != '%') {
			out.push(c);
			i++;
			continue;
		}
		if (i + 1 >= s.size())
			return unexpected("rfc2396: unexpected end of unescape sequence");
		if (!isHex(s[i + 1]))
			return unexpected("rfc2396: invalid char 0x25 in unescape sequence");
		if (i + 2 >= s.size())
			return unexpected("rfc2396: unexpected end of unescape sequence");
		if (!isHex(s[i + 2]))
			return unexpected("rfc2396: invalid char 0x25 in unescape sequence");
		out.push(static_cast<char>(unhex(s[i + 1]) << 4 | unhex(s[i + 2])));
		i += 3;
	}
	return {};
}

Result<std::string> rfc2396Unescape(std::string_view s)
{
	std::string out;
	if (Result<void> r = rfc2396Unescape(s, AppendTo{ out }); !r)
		return unexpected(std::move(r.error()));
	return out;
}

Unexpected corruptInput(std::size_t at)
{
	return unexpected("illegal base64 data at input byte " + std::to_string(at));
}

// base64.StdEncoding.DecodeString (padded, not strict; '\r' and '\n'
// skipped).
template<typename Out>
Result<void> base64Decode(std::string_view src, Out dst)
{
	dst.reserve(src.size() / 4 * 3);
	const std::size_t n = src.size();
	auto map = [&](std::size_t i) { return kBase64Map[static_cast<unsigned char>(src[i])]; };
	std::size_t si = 0;
	while (si < n) {
		// Fast path: four alphabet characters, as Go's assemble32.
		if (n - si >= 4) {
			std::uint8_t a = map(si), b = map(si + 1), c = map(si + 2), d = map(si + 3);
			if ((a | b | c | d) != 0xFF) {
				std::uint32_t v = std::uint32_t(a) << 18 | std::uint32_t(b) << 12 | std::uint32_t(c) << 6 | d;
				dst.push(static_cast<char>(v >> 16));
				dst.push(static_cast<char>(v >> 8));
				dst.push(static_cast<char>(v));
				si += 4;
				continue;
			}
		}

		// decodeQuantum.
		std::uint8_t dbuf[4] = { 0, 0, 0, 0 };
		int dlen = 4;
		std::optional<std::size_t> trailing;
		for (int j = 0; j < 4; j++) {
			if (si == n) {
				if (j == 0)
					return {};
				// j == 1, or padding missing (StdEncoding pads).
				return corruptInput(si - static_cast<std::size_t>(j));
			}
			const char in = src[si];
			si++;
			const std::uint8_t out = kBase64Map[static_cast<unsigned char>(in)];
			if (out != 0xFF) {
				dbuf[j] = out;
				continue;
			}
			if (in == '\n' || in == '\r') {
				j--;
				continue;
			}
			if (in != '=')
				return corruptInput(si - 1);
			switch (j) {
			case 0:
			case 1:
				return corruptInput(si - 1);
			case 2:
				while (si < n && (src[si] == '\n' || src[si] == '\r'))
					si++;
				if (si == n)
					return corruptInput(n);
				if (src[si] != '=')
					return corruptInput(si - 1);
				si++;
				break;
			default:
				break;
			}
			while (si < n && (src[si] == '\n' || src[si] == '\r'))
				si++;
			if (si < n)
				trailing = si;
			dlen = j;
			break;
		}
		if (trailing)
			return corruptInput(*trailing);
		std::uint32_t v = std::uint32_t(dbuf[0]) << 18 | std::uint32_t(dbuf[1]) << 12 |
				  std::uint32_t(dbuf[2]) << 6 | dbuf[3];
		if (dlen >= 2)
			dst.push(static_cast<char>(v >> 16));
		if (dlen >= 3)
			dst.push(static_cast<char>(v >> 8));
		if (dlen >= 4)
			dst.push(static_cast<char>(v));
	}
	return {};
}

enum class Item {
	DataPrefix,
	MediaType,
	MediaSep,
	MediaSubType,
	ParamSemicolon,
	ParamAttr,
	ParamEqual,
	LeftStringQuote,
	RightStringQuote,
	ParamVal,
	Base64Enc,
	DataComma,
	Data,
	Eof,
};

enum class State {
	BeforeDataPrefix,
	DataPrefix,
	AfterDataPrefix,
	XTokenMediaType,
	InDiscreteMediaType,
	MediaType,
	MediaSep,
	AfterMediaSep,
	MediaSubType,
	AfterMediaSubType,
	ParamSemicolon,
	AfterParamSemicolon,
	Base64Enc,
	InParamAttr,
	ParamAttr,
	ParamEqual,
	AfterParamEqual,
	InQuotedStringParamVal,
	EscapedChar,
	InParamVal,
	QuotedStringParamVal,
	ParamVal,
	AfterParamVal,
	DataComma,
	Data,
	Base64Data,
	Stop,
};

// The lexer (lex.go) and parser (dataurl.go's parser.parse) in one: the Go
// parser consumes each item as the lexer goroutine sends it and returns at
// the first error, whichever side it comes from.
class Decoder final
{
public:
	// keepData false: the data part is checked, not kept (validation).
	Decoder(std::string_view input, bool keepData) : input_(input), keepData_(keepData)
	{
		du_.params["charset"] = "US-ASCII";
	}

	Result<DataUrl> run();

private:
	enum class Reader { None, Ascii, Base64 };

	Rune next()
	{
		if (pos_ >= input_.size()) {
			width_ = 0;
			return kEof;
		}
		const auto c = static_cast<unsigned char>(input_[pos_]);
		if (c < 0x80) {
			width_ = 1;
		} else {
			go::DecodedRune d = go::decodeRune(input_, pos_);
			width_ = d.width;
			pos_ += width_;
			return static_cast<Rune>(d.rune);
		}
		pos_ += width_;
		return c;
	}
	void backup() { pos_ -= width_; }
	std::string_view current() const { return input_.substr(start_, pos_ - start_); }

	// Sends an item to the parser; false once the parser has failed.
	bool emit(Item t)
	{
		std::string_view val = current();
		start_ = pos_;
		return handle(t, val);
	}
	State fail(std::string message)
	{
		error_ = std::move(message);
		return State::Stop;
	}

	bool handle(Item t, std::string_view val);
	State step(State s);

	std::string_view input_;
	bool keepData_ = true;
	std::size_t start_ = 0;
	std::size_t pos_ = 0;
	std::size_t width_ = 0;
	bool seenBase64Item_ = false;

	DataUrl du_;
	std::string type_ = "text";
	std::string subtype_ = "plain";
	std::string currentAttr_;
	bool unquoteParamVal_ = false;
	Reader reader_ = Reader::None;
	bool done_ = false;
	std::optional<std::string> error_;
};

bool Decoder::handle(Item t, std::string_view val)
{
	switch (t) {
	case Item::MediaType:
		type_ = std::string(val);
		du_.params.erase("charset");
		break;
	case Item::MediaSubType:
		subtype_ = std::string(val);
		break;
	case Item::ParamAttr:
		currentAttr_ = std::string(val);
		break;
	case Item::LeftStringQuote:
		unquoteParamVal_ = true;
		break;
	case Item::ParamVal:
		if (unquoteParamVal_) {
			unquoteParamVal_ = false;
			std::string quoted;
			quoted.reserve(val.size() + 2);
			quoted.push_back('"');
			quoted += val;
			quoted.push_back('"');
			auto us = go::unquote(quoted);
			if (!us) {
				error_ = "invalid syntax";
				return false;
			}
			du_.params[currentAttr_] = std::move(*us);
		} else {
			auto us = rfc2396Unescape(val);
			if (!us) {
				error_ = us.error().message();
				return false;
			}
			du_.params[currentAttr_] = std::move(*us);
		}
		break;
	case Item::Base64Enc:
		du_.base64 = true;
		reader_ = Reader::Base64;
		break;
	case Item::DataComma:
		if (reader_ == Reader::None)
			reader_ = Reader::Ascii;
		break;
	case Item::Data: {
		Result<void> data;
		if (keepData_)
			data = reader_ == Reader::Base64 ? base64Decode(val, AppendTo{ du_.data })
							 : rfc2396Unescape(val, AppendTo{ du_.data });
		else
			data = reader_ == Reader::Base64 ? base64Decode(val, Discard{}) : rfc2396Unescape(val, Discard{});
		if (!data) {
			du_.data.clear();
			error_ = data.error().message();
			return false;
		}
		break;
	}
	case Item::Eof:
		done_ = true;
		break;
	default:
		break;
	}
	return true;
}

State Decoder::step(State s)
{
	switch (s) {
	case State::BeforeDataPrefix:
		if (hasPrefix(input_.substr(pos_), "data:"))
			return State::DataPrefix;
		return fail("missing data prefix");

	case State::DataPrefix:
		pos_ += 5;
		return emit(Item::DataPrefix) ? State::AfterDataPrefix : State::Stop;

	case State::AfterDataPrefix: {
		Rune r = next();
		if (r == ';') {
			backup();
			return State::ParamSemicolon;
		}
		if (r == ',') {
			backup();
			return State::DataComma;
		}
		if (r == kEof)
			return fail("missing comma before data");
		if (r == 'x' || r == 'X') {
			// The rune after 'x' is consumed unchecked, as the library does.
			if (next() == '-')
				return State::XTokenMediaType;
			return State::InDiscreteMediaType;
		}
		if (isTokenRune(r))
			return State::InDiscreteMediaType;
		return fail("invalid character after data prefix");
	}

	case State::XTokenMediaType:
		for (;;) {
			Rune r = next();
			if (r == '/') {
				backup();
				return State::MediaType;
			}
			if (r == kEof)
				return fail("missing media type slash");
			if (!isTokenRune(r))
				return fail("invalid character for media type");
		}

	case State::InDiscreteMediaType:
		for (;;) {
			Rune r = next();
			if (r == '/') {
				backup();
				if (!isDiscreteType(current()) && !isCompositeType(current()))
					return fail("invalid media type");
				return State::MediaType;
			}
			if (r == kEof)
				return fail("missing media type slash");
			if (!isTokenRune(r))
				return fail("invalid character for media type");
		}

	case State::MediaType:
		if (pos_ > start_ && !emit(Item::MediaType))
			return State::Stop;
		return State::MediaSep;

	case State::MediaSep:
		next();
		return emit(Item::MediaSep) ? State::AfterMediaSep : State::Stop;

	case State::AfterMediaSep:
		for (;;) {
			Rune r = next();
			if (r == ';' || r == ',') {
				backup();
				return State::MediaSubType;
			}
			if (r == kEof)
				return fail("incomplete media type");
			if (!isTokenRune(r))
				return fail("invalid character for media subtype");
		}

	case State::MediaSubType:
		if (pos_ > start_ && !emit(Item::MediaSubType))
			return State::Stop;
		return State::AfterMediaSubType;

	case State::AfterMediaSubType: {
		Rune r = next();
		if (r == ';') {
			backup();
			return State::ParamSemicolon;
		}
		if (r == ',') {
			backup();
			return State::DataComma;
		}
		if (r == kEof)
			return fail("missing comma before data");
		return fail("expected semicolon or comma");
	}

	case State::ParamSemicolon:
		next();
		return emit(Item::ParamSemicolon) ? State::AfterParamSemicolon : State::Stop;

	case State::AfterParamSemicolon: {
		Rune r = next();
		if (r == kEof || r == '=' || r == ',')
			return fail("unterminated parameter sequence");
		if (isTokenRune(r)) {
			backup();
			return State::InParamAttr;
		}
		return fail("invalid character for parameter attribute");
	}

	case State::Base64Enc:
		if (pos_ > start_) {
			std::string_view v = current();
			if (v != "base64")
				return fail("expected base64, got " + std::string(v));
			seenBase64Item_ = true;
			if (!emit(Item::Base64Enc))
				return State::Stop;
		}
		return State::DataComma;

	case State::InParamAttr:
		for (;;) {
			Rune r = next();
			if (r == '=') {
				backup();
				return State::ParamAttr;
			}
			if (r == ',') {
				backup();
				return State::Base64Enc;
			}
			if (r == kEof)
				return fail("unterminated parameter sequence");
			if (!isTokenRune(r))
				return fail("invalid character for parameter attribute");
		}

	case State::ParamAttr:
		if (pos_ > start_ && !emit(Item::ParamAttr))
			return State::Stop;
		return State::ParamEqual;

	case State::ParamEqual:
		next();
		return emit(Item::ParamEqual) ? State::AfterParamEqual : State::Stop;

	case State::AfterParamEqual: {
		Rune r = next();
		if (r == '"')
			return emit(Item::LeftStringQuote) ? State::InQuotedStringParamVal : State::Stop;
		if (r == kEof)
			return fail("missing comma before data");
		if (isTokenRune(r))
			return State::InParamVal;
		return fail("invalid character for parameter value");
	}

	case State::InQuotedStringParamVal:
		for (;;) {
			Rune r = next();
			if (r == kEof)
				return fail("unclosed quoted string");
			if (r == '\\')
				return State::EscapedChar;
			if (r == '"') {
				backup();
				return State::QuotedStringParamVal;
			}
			if (r > 0x7F)
				return fail("invalid character for parameter value");
		}

	case State::EscapedChar: {
		// EOF (-1) counts as ASCII here, so the library's "unexpected eof"
		// is unreachable and EOF surfaces as "unclosed quoted string".
		Rune r = next();
		if (r <= 0x7F)
			return State::InQuotedStringParamVal;
		return fail("invalid escaped character");
	}

	case State::InParamVal:
		for (;;) {
			Rune r = next();
			if (r == ';' || r == ',') {
				backup();
				return State::ParamVal;
			}
			if (r == kEof)
				return fail("missing comma before data");
			if (!isTokenRune(r))
				return fail("invalid character for parameter value");
		}

	case State::QuotedStringParamVal:
		// An empty "" emits no value: the attribute stays unset and the
		// next unquoted value is run through strconv.Unquote instead.
		if (pos_ > start_ && !emit(Item::ParamVal))
			return State::Stop;
		next();
		return emit(Item::RightStringQuote) ? State::AfterParamVal : State::Stop;

	case State::ParamVal:
		if (pos_ > start_ && !emit(Item::ParamVal))
			return State::Stop;
		return State::AfterParamVal;

	case State::AfterParamVal: {
		Rune r = next();
		if (r == ';') {
			backup();
			return State::ParamSemicolon;
		}
		if (r == ',') {
			backup();
			return State::DataComma;
		}
		if (r == kEof)
			return fail("missing comma before data");
		return fail("expected semicolon or comma");
	}

	case State::DataComma:
		next();
		if (!emit(Item::DataComma))
			return State::Stop;
		return seenBase64Item_ ? State::Base64Data : State::Data;

	case State::Data:
	case State::Base64Data: {
		// Any byte >= 0x80 starts a rune above MaxASCII (or RuneError),
		// which neither data alphabet admits.
		const std::array<bool, 256> &ok = s == State::Base64Data ? kBase64DataByte : kDataByte;
		for (std::size_t i = pos_; i < input_.size(); i++)
			if (!ok[static_cast<unsigned char>(input_[i])])
				return fail("invalid data character");
		pos_ = input_.size();
		if (pos_ > start_ && !emit(Item::Data))
			return State::Stop;
		emit(Item::Eof);
		return State::Stop;
	}

	case State::Stop:
		break;
	}
	return State::Stop;
}

Result<DataUrl> Decoder::run()
{
	State s = State::BeforeDataPrefix;
	while (s != State::Stop)
		s = step(s);
	if (error_)
		return unexpected(std::move(*error_));
	if (!done_)
		return unexpected("EOF not found");
	du_.mediaType = type_ + "/" + subtype_;
	return std::move(du_);
}

} // namespace

Result<DataUrl> decodeDataUrl(std::string_view url)
{
	return Decoder(url, true).run();
}

Result<void> checkDataUrl(std::string_view url)
{
	Result<DataUrl> r = Decoder(url, false).run();
	if (!r)
		return unexpected(std::move(r.error()));
	return {};
}

} // namespace flint
