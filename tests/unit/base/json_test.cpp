// Unit tests for the JSON layer, with expectations taken from Go 1.19's encoding/json.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "flint/base/json.h"

namespace flint::json {
namespace {

struct SyntaxCase {
	std::string_view input;
	std::string_view message;
	std::size_t offset;
};

// Every expected message and offset below was printed by a Go 1.19.8 program
// calling encoding/json.Unmarshal on the same bytes and reporting
// (*json.SyntaxError).Error() and .Offset.
const SyntaxCase kSyntaxCases[] = {
	{ "", "unexpected end of JSON input", 0 },
	{ "   ", "unexpected end of JSON input", 3 },
	{ "\xef\xbb\xbf{}", "invalid character 'ï' looking for beginning of value", 1 },
	{ "{\"a\" 1}", "invalid character '1' after object key", 6 },
	{ "{\"a\":1 \"b\":2}", "invalid character '\"' after object key:value pair", 8 },
	{ "[1 2]", "invalid character '2' after array element", 4 },
	{ "{,}", "invalid character ',' looking for beginning of object key string", 2 },
	{ "{\"a\":1,}", "invalid character '}' looking for beginning of object key string", 8 },
	{ "[1,]", "invalid character ']' looking for beginning of value", 4 },
	{ "-", "invalid character ' ' in numeric literal", 1 },
	{ "[-]", "invalid character ']' in numeric literal", 3 },
	{ "1.", "invalid character ' ' after decimal point in numeric literal", 2 },
	{ "1.x", "invalid character 'x' after decimal point in numeric literal", 3 },
	{ "1e", "invalid character ' ' in exponent of numeric literal", 2 },
	{ "1e+", "invalid character ' ' in exponent of numeric literal", 3 },
	{ "1ex", "invalid character 'x' in exponent of numeric literal", 3 },
	{ "01", "invalid character '1' after top-level value", 2 },
	{ "[01]", "invalid character '1' after array element", 3 },
	{ "{\"a\":01}", "invalid character '1' after object key:value pair", 7 },
	{ "tru", "invalid character ' ' in literal true (expecting 'e')", 3 },
	{ "trux", "invalid character 'x' in literal true (expecting 'e')", 4 },
	{ "fals", "invalid character ' ' in literal false (expecting 'e')", 4 },
	{ "falsy", "invalid character 'y' in literal false (expecting 'e')", 5 },
	{ "nul", "invalid character ' ' in literal null (expecting 'l')", 3 },
	{ "nulx", "invalid character 'x' in literal null (expecting 'l')", 4 },
	{ "\"abc", "unexpected end of JSON input", 4 },
	{ "\"\\", "invalid character ' ' in string escape code", 2 },
	{ "\"\\x\"", "invalid character 'x' in string escape code", 3 },
	{ "\"\\u12", "invalid character ' ' in \\u hexadecimal character escape", 5 },
	{ "\"\\u12g4\"", "invalid character 'g' in \\u hexadecimal character escape", 6 },
	{ "\"a\nb\"", "invalid character '\\n' in string literal", 3 },
	{ std::string_view("\"\x00\"", 3), "invalid character '\\x00' in string literal", 2 },
	{ "{\"a\":1}}", "invalid character '}' after top-level value", 8 },
	{ "[1]x", "invalid character 'x' after top-level value", 4 },
	{ "1 2", "invalid character '2' after top-level value", 3 },
	{ "{\"a\"", "unexpected end of JSON input", 4 },
	{ "{\"a\":", "unexpected end of JSON input", 5 },
	{ "[", "unexpected end of JSON input", 1 },
	{ "{", "unexpected end of JSON input", 1 },
	{ "[1", "unexpected end of JSON input", 2 },
	{ "{\"a\":1", "unexpected end of JSON input", 6 },
	{ "'a'", "invalid character '\\'' looking for beginning of value", 1 },
	{ "{1:2}", "invalid character '1' looking for beginning of object key string", 2 },
	{ "[}", "invalid character '}' looking for beginning of value", 2 },
	{ "{]", "invalid character ']' looking for beginning of object key string", 2 },
	{ "nan", "invalid character 'a' in literal null (expecting 'u')", 2 },
	{ "+1", "invalid character '+' looking for beginning of value", 1 },
	{ ".5", "invalid character '.' looking for beginning of value", 1 },
	{ "\x80", "invalid character '\\u0080' looking for beginning of value", 1 },
	{ "\xc3\xa9", "invalid character 'Ã' looking for beginning of value", 1 },
	{ "\x7f", "invalid character '\\x7f' looking for beginning of value", 1 },
	{ "\"", "unexpected end of JSON input", 1 },
	{ ":", "invalid character ':' looking for beginning of value", 1 },
	{ "[1,\n2,\n]", "invalid character ']' looking for beginning of value", 8 },
	{ "{\"a\":1}\r\n x", "invalid character 'x' after top-level value", 11 },
	{ "{\"k\":\"\\'\"}", "invalid character '\\'' in string escape code", 8 },
	{ "[\"a\"\t\"b\"]", "invalid character '\"' after array element", 6 },
	{ "{\"a\":\"b\",}", "invalid character '}' looking for beginning of object key string", 10 },
	{ "\t\n{\"a\" : [true, nul]}", "invalid character ']' in literal null (expecting 'l')", 20 },
};

TEST(JsonParse, SyntaxErrorsMatchGo)
{
	for (const SyntaxCase &c : kSyntaxCases) {
		SCOPED_TRACE(std::string(c.input));
		ParseOutcome r = parse(c.input);
		ASSERT_TRUE(r.error.has_value());
		EXPECT_FALSE(r.value.has_value());
		EXPECT_EQ(r.error->message, c.message);
		EXPECT_EQ(r.error->offset, c.offset);
	}
}

std::string repeat(std::string_view s, int n)
{
	std::string out;
	out.reserve(s.size() * static_cast<std::size_t>(n));
	for (int i = 0; i < n; i++)
		out += s;
	return out;
}

// Go 1.19: nesting of exactly 10000 is accepted, 10001 is rejected at the
// opening bracket that exceeds it.
TEST(JsonParse, DepthLimit)
{
	ParseOutcome ok = parse(repeat("[", kMaxDepth) + repeat("]", kMaxDepth));
	ASSERT_TRUE(ok.value.has_value());
	const Value *v = &*ok.value;
	int depth = 1;
	while (!v->items.empty()) {
		v = &v->items[0];
		depth++;
	}
	EXPECT_EQ(depth, kMaxDepth);

	ParseOutcome mixed = parse(repeat("[{\"a\":", 5000) + "1" + repeat("}]", 5000));
	EXPECT_TRUE(mixed.value.has_value());

	ParseOutcome deep = parse(repeat("[", kMaxDepth + 1) + repeat("]", kMaxDepth + 1));
	ASSERT_TRUE(deep.error.has_value());
	EXPECT_EQ(deep.error->message, "invalid character '[' exceeded max depth");
	EXPECT_EQ(deep.error->offset, 10001u);

	ParseOutcome objects = parse(repeat("{\"a\":", kMaxDepth + 1));
	ASSERT_TRUE(objects.error.has_value());
	EXPECT_EQ(objects.error->message, "invalid character '{' exceeded max depth");
	EXPECT_EQ(objects.error->offset, 50001u);

	ParseOutcome unclosed = parse(repeat("[", kMaxDepth));
	ASSERT_TRUE(unclosed.error.has_value());
	EXPECT_EQ(unclosed.error->message, "unexpected end of JSON input");
	EXPECT_EQ(unclosed.error->offset, 10000u);
}

// quoteChar for every byte, as Go prints it in "invalid character ... looking
// for beginning of object key string" (checked for all 256 bytes against Go;
// a representative subset is kept here).
TEST(JsonParse, QuoteChar)
{
	const std::pair<unsigned char, std::string_view> cases[] = {
		{ 0x00, "'\\x00'" }, { 0x07, "'\\a'" }, { 0x08, "'\\b'" }, { 0x09, "'\\t'" },
		{ 0x0a, "'\\n'" }, { 0x0b, "'\\v'" }, { 0x0c, "'\\f'" }, { 0x0d, "'\\r'" },
		{ 0x1f, "'\\x1f'" }, { ' ', "' '" }, { '\'', "'\\''" }, { '"', "'\"'" },
		{ '\\', "'\\\\'" }, { 'x', "'x'" }, { 0x7f, "'\\x7f'" }, { 0x80, "'\\u0080'" },
		{ 0x9f, "'\\u009f'" }, { 0xa0, "'\\u00a0'" }, { 0xa1, "'¡'" }, { 0xad, "'\\u00ad'" },
		{ 0xc3, "'Ã'" }, { 0xef, "'ï'" }, { 0xff, "'ÿ'" },
	};
	for (const auto &[c, want] : cases)
		EXPECT_EQ(quoteChar(c), want) << int(c);
}

// Markers as Ignition's vcontext tree reports them (coreos/go-json Node.Start
// and KeyStart); the expected values were printed by go-json on this input.
TEST(JsonParse, MarkersMatchGoJson)
{
	const std::string_view doc =
		"{\n  \"a\": [1, \"x\", {\"b\": null, \"c\": []}],\n  \"d\" :\t{ },\n  \"z\": true,\n  \"e\": -1.5e3\n}\n";
	ParseOutcome r = parse(doc);
	ASSERT_TRUE(r.value.has_value());
	const Value &root = *r.value;
	EXPECT_EQ(root.kind, Kind::Object);
	EXPECT_EQ(root.marker, 1u);
	EXPECT_EQ(root.end, doc.size() - 1);
	ASSERT_EQ(root.members.size(), 4u);

	const Member &a = root.members[0];
	EXPECT_EQ(a.key, "a");
	EXPECT_EQ(a.keyMarker, 4u);
	EXPECT_EQ(a.value.kind, Kind::Array);
	EXPECT_EQ(a.value.marker, 10u);
	EXPECT_EQ(doc[a.value.end - 1], ']');
	ASSERT_EQ(a.value.items.size(), 3u);
	EXPECT_EQ(a.value.items[0].kind, Kind::Number);
	EXPECT_EQ(a.value.items[0].marker, 10u);
	EXPECT_EQ(a.value.items[0].end, 11u);
	EXPECT_EQ(a.value.items[1].kind, Kind::String);
	EXPECT_EQ(a.value.items[1].marker, 13u);
	EXPECT_EQ(a.value.items[1].end, 16u);
	const Value &inner = a.value.items[2];
	EXPECT_EQ(inner.kind, Kind::Object);
	EXPECT_EQ(inner.marker, 19u);
	ASSERT_EQ(inner.members.size(), 2u);
	EXPECT_EQ(inner.members[0].keyMarker, 19u);
	EXPECT_EQ(inner.members[0].value.kind, Kind::Null);
	EXPECT_EQ(inner.members[0].value.marker, 24u);
	EXPECT_EQ(inner.members[0].value.end, 28u);
	EXPECT_EQ(inner.members[1].keyMarker, 30u);
	EXPECT_EQ(inner.members[1].value.kind, Kind::Array);
	EXPECT_EQ(inner.members[1].value.marker, 36u);
	EXPECT_EQ(inner.members[1].value.end, 37u);

	EXPECT_EQ(root.members[1].keyMarker, 43u);
	EXPECT_EQ(root.members[1].value.marker, 50u);
	EXPECT_EQ(root.members[1].value.end, 52u);
	EXPECT_EQ(root.members[2].keyMarker, 56u);
	EXPECT_EQ(root.members[2].value.kind, Kind::Bool);
	EXPECT_TRUE(root.members[2].value.boolean);
	EXPECT_EQ(root.members[2].value.marker, 61u);
	EXPECT_EQ(root.members[3].keyMarker, 69u);
	EXPECT_EQ(root.members[3].value.marker, 74u);
	EXPECT_EQ(root.members[3].value.text, "-1.5e3");
	EXPECT_EQ(root.members[3].value.end, 80u);
}

TEST(JsonParse, ScalarsAtTopLevel)
{
	const struct {
		std::string_view input;
		Kind kind;
		std::string_view text;
		std::size_t marker, end;
	} cases[] = {
		{ "  -0.5e-3 ", Kind::Number, "-0.5e-3", 2, 9 },
		{ "0", Kind::Number, "0", 0, 1 },
		{ "12345678901234567890123", Kind::Number, "12345678901234567890123", 0, 23 },
		{ "1E+2", Kind::Number, "1E+2", 0, 4 },
		{ "\ttrue\n", Kind::Bool, "", 1, 5 },
		{ "false", Kind::Bool, "", 0, 5 },
		{ "\r\nnull", Kind::Null, "", 2, 6 },
		{ "\"a\\\"b\" ", Kind::String, "a\"b", 0, 6 },
	};
	for (const auto &c : cases) {
		SCOPED_TRACE(std::string(c.input));
		ParseOutcome r = parse(c.input);
		ASSERT_TRUE(r.value.has_value());
		EXPECT_EQ(r.value->kind, c.kind);
		if (c.kind != Kind::Bool && c.kind != Kind::Null) {
			EXPECT_EQ(r.value->text, c.text);
		}
		EXPECT_EQ(r.value->marker, c.marker);
		EXPECT_EQ(r.value->end, c.end);
	}
	EXPECT_FALSE(parse("false").value->boolean);
	EXPECT_TRUE(parse("true").value->boolean);
}

TEST(JsonParse, DuplicateKeysKeptInOrder)
{
	ParseOutcome r = parse(R"({"a": 1, "b": 2, "a": {"x": 3}, "A": 4})");
	ASSERT_TRUE(r.value.has_value());
	const Value &root = *r.value;
	ASSERT_EQ(root.members.size(), 4u);
	EXPECT_EQ(root.members[0].key, "a");
	EXPECT_EQ(root.members[0].value.text, "1");
	EXPECT_EQ(root.members[2].key, "a");
	EXPECT_EQ(root.members[2].keyMarker, 17u);
	const Value *a = root.find("a");
	ASSERT_NE(a, nullptr);
	EXPECT_EQ(a, &root.members[2].value);
	EXPECT_EQ(a->kind, Kind::Object);
	ASSERT_NE(root.find("A"), nullptr);
	EXPECT_EQ(root.find("A")->text, "4");
	EXPECT_EQ(root.find("c"), nullptr);
	EXPECT_EQ(a->find("y"), nullptr);
	EXPECT_EQ(root.members[1].value.find("b"), nullptr); // not an object
}

// Expected decodings printed by Go 1.19 (string values re-marshalled) and
// markers by go-json for the same input.
TEST(JsonParse, EscapesAndSurrogates)
{
	const std::string_view doc =
		R"([ {"k":"\ud83d\ude00\ud800\u0041\udc00\ud800\ud800\udc00\u00e9\n\/"} , [ ] ])";
	ParseOutcome r = parse(doc);
	ASSERT_TRUE(r.value.has_value());
	const Value &root = *r.value;
	EXPECT_EQ(root.marker, 1u);
	ASSERT_EQ(root.items.size(), 2u);
	EXPECT_EQ(root.items[0].marker, 3u);
	ASSERT_EQ(root.items[0].members.size(), 1u);
	EXPECT_EQ(root.items[0].members[0].keyMarker, 3u);
	EXPECT_EQ(root.items[0].members[0].value.marker, 7u);
	EXPECT_EQ(root.items[0].members[0].value.text,
		  "\xf0\x9f\x98\x80"  // the pair
		  "\xef\xbf\xbd" "A"  // lone high surrogate, then \u0041 on its own
		  "\xef\xbf\xbd"      // lone low surrogate
		  "\xef\xbf\xbd"      // high surrogate followed by another high one
		  "\xf0\x90\x80\x80"  // which pairs with the next low surrogate
		  "\xc3\xa9\n/");
	EXPECT_EQ(root.items[1].marker, 72u);
	EXPECT_EQ(root.items[1].end, 74u);

	const struct {
		std::string_view input;
		std::string_view decoded;
	} cases[] = {
		{ R"("\"\\\/\b\f\n\r\t")", "\"\\/\b\f\n\r\t" },
		{ R"("\u0000")", std::string_view("\0", 1) },
		{ R"("\u00E9\u20ac")", "\xc3\xa9\xe2\x82\xac" },
		{ R"("\udbff\udfff")", "\xf4\x8f\xbf\xbf" },
		{ R"("\ud800")", "\xef\xbf\xbd" },
		{ R"("\ud800\u")", "" }, // syntax error, checked below
		{ R"("\ud800\\u0041")", "\xef\xbf\xbd\\u0041" },
		{ R"("\ud800x\udc00")", "\xef\xbf\xbdx\xef\xbf\xbd" },
	};
	for (const auto &c : cases) {
		SCOPED_TRACE(std::string(c.input));
		ParseOutcome s = parse(c.input);
		if (c.decoded.empty()) {
			ASSERT_TRUE(s.error.has_value());
			EXPECT_EQ(s.error->message, "invalid character '\"' in \\u hexadecimal character escape");
			EXPECT_EQ(s.error->offset, 10u);
			continue;
		}
		ASSERT_TRUE(s.value.has_value());
		EXPECT_EQ(s.value->text, c.decoded);
	}
}

// Go's decoder replaces each byte that does not start a valid UTF-8 sequence
// (including surrogates, overlong forms and code points above U+10FFFF) with
// U+FFFD. Expected value printed by Go 1.19.
TEST(JsonParse, InvalidUtf8)
{
	const std::string_view doc = "{\"\xffk\":\"\xff\xc3\xa9\xe2\x82\xed\xa0\x80\xc0\xaf\xf4\x90\x80\x80"
				     "\xf0\x9f\x98\x80x\xe2\x82\"}";
	ParseOutcome r = parse(doc);
	ASSERT_TRUE(r.value.has_value());
	ASSERT_EQ(r.value->members.size(), 1u);
	const std::string kBad = "\xef\xbf\xbd";
	EXPECT_EQ(r.value->members[0].key, kBad + "k");
	EXPECT_EQ(r.value->members[0].value.marker, 6u);
	std::string want = kBad + "\xc3\xa9";
	for (int i = 0; i < 11; i++)
		want += kBad;
	want += "\xf0\x9f\x98\x80x" + kBad + kBad;
	EXPECT_EQ(r.value->members[0].value.text, want);
}

TEST(JsonParse, LargeDocument)
{
	constexpr int kFiles = 50000;
	std::string doc;
	Writer w(doc, "  ");
	w.beginObject();
	w.key("ignition");
	w.beginObject();
	w.key("version");
	w.string("3.3.0");
	w.endObject();
	w.key("storage");
	w.beginObject();
	w.key("files");
	w.beginArray();
	for (int i = 0; i < kFiles; i++) {
		w.beginObject();
		w.key("path");
		w.string("/etc/file" + std::to_string(i));
		w.key("mode");
		w.number(420);
		w.key("contents");
		w.beginObject();
		w.key("source");
		w.string("data:,\xc3\xa9<&>" + std::to_string(i));
		w.endObject();
		w.endObject();
	}
	w.endArray();
	w.endObject();
	w.endObject();

	ParseOutcome r = parse(doc);
	ASSERT_TRUE(r.value.has_value()) << r.error->message;
	const Value *files = r.value->find("storage")->find("files");
	ASSERT_NE(files, nullptr);
	ASSERT_EQ(files->items.size(), static_cast<std::size_t>(kFiles));
	LineIndex lines(doc);
	for (int i : { 0, 1, 777, kFiles - 1 }) {
		const Value &f = files->items[i];
		EXPECT_EQ(f.find("path")->text, "/etc/file" + std::to_string(i));
		EXPECT_EQ(f.find("mode")->text, "420");
		EXPECT_EQ(f.find("contents")->find("source")->text, "data:,\xc3\xa9<&>" + std::to_string(i));
		EXPECT_EQ(doc[f.marker - 1], '{');
		EXPECT_EQ(doc[f.end - 1], '}');
		// Each file takes 7 lines; the array's '[' is on line 6.
		LineCol lc = lines.at(f.members[0].keyMarker);
		EXPECT_EQ(lc.line, 8 + 7 * i);
		EXPECT_EQ(lc.col, 9);
	}
	std::string again;
	Writer w2(again, "  ");
	// Re-encoding the parsed tree gives back the same bytes.
	struct Encoder {
		Writer &w;
		void operator()(const Value &v)
		{
			switch (v.kind) {
			case Kind::Object:
				w.beginObject();
				for (const Member &m : v.members) {
					w.key(m.key);
					(*this)(m.value);
				}
				w.endObject();
				break;
			case Kind::Array:
				w.beginArray();
				for (const Value &i : v.items)
					(*this)(i);
				w.endArray();
				break;
			case Kind::String:
				w.string(v.text);
				break;
			case Kind::Number:
				w.number(std::stoll(v.text));
				break;
			case Kind::Bool:
				w.boolean(v.boolean);
				break;
			case Kind::Null:
				w.null();
				break;
			}
		}
	};
	Encoder{ w2 }(*r.value);
	EXPECT_EQ(again, doc);
}

// Go: json.Unmarshal into `any`, then json.Marshal (values checked with Go 1.19).
TEST(JsonWriteGoAny, SortedKeysLastDuplicateAndFloat64)
{
	auto remarshal = [](std::string_view in) {
		ParseOutcome p = parse(in);
		EXPECT_FALSE(p.error);
		std::string out;
		Writer w(out);
		writeGoAny(w, *p.value);
		return out;
	};
	EXPECT_EQ(remarshal(R"({"b": 1, "a": [true, null, "x<"], "b": 2})"), R"({"a":[true,null,"x\u003c"],"b":2})");
	EXPECT_EQ(remarshal("[1.50, 1e21, 1e20, 0.0000001, 0.000001, -0, 0, 12345678901234567890]"),
		  "[1.5,1e+21,100000000000000000000,1e-7,0.000001,-0,0,12345678901234567000]");
	EXPECT_EQ(remarshal("[-0.00012, 123.456, 7, 1.7976931348623157e308, 5e-324]"),
		  "[-0.00012,123.456,7,1.7976931348623157e+308,5e-324]");
}

TEST(JsonLineIndex, MatchesFixLineColumn)
{
	const std::string_view text = "ab\ncd\r\n\nx";
	LineIndex lines(text);
	const struct {
		std::size_t offset;
		long line, col;
	} cases[] = {
		{ 0, 1, 1 }, { 1, 1, 2 },
		{ 2, 1, 3 }, // the '\n' itself: column after the last character
		{ 3, 2, 1 }, { 5, 2, 3 }, // '\r' is an ordinary byte
		{ 6, 2, 4 }, // '\n' of the CRLF
		{ 7, 3, 1 }, // empty line
		{ 8, 4, 1 },
		{ 9, 0, 0 }, // at the end
		{ 100, 0, 0 },
	};
	for (const auto &c : cases) {
		LineCol lc = lines.at(c.offset);
		EXPECT_EQ(lc.line, c.line) << c.offset;
		EXPECT_EQ(lc.col, c.col) << c.offset;
	}
	LineIndex empty("");
	EXPECT_EQ(empty.at(0).line, 0);
	LineIndex trailing("a\n");
	EXPECT_EQ(trailing.at(1).line, 1);
	EXPECT_EQ(trailing.at(1).col, 2);
	EXPECT_EQ(trailing.at(2).line, 0);
}

// Expected encodings printed by Go 1.19 json.Marshal.
TEST(JsonWrite, AppendQuoted)
{
	const struct {
		std::string_view in;
		std::string_view out;
	} cases[] = {
		{ "", R"("")" },
		{ std::string_view("\0", 1), R"("\u0000")" },
		{ "x<y>&\xe2\x80\xa8\xe2\x80\xa9\"\\\n\r\t\x01\x1f\x7f\xff\xc3\xa9\xf0\x9f\x98\x80/",
		  "\"x\\u003cy\\u003e\\u0026\\u2028\\u2029\\\"\\\\\\n\\r\\t\\u0001\\u001f\x7f\\ufffd\xc3\xa9\xf0\x9f\x98\x80/\"" },
		{ "\xef\xbf\xbd", "\"\xef\xbf\xbd\"" },
		{ "\xed\xa0\x80", R"("\ufffd\ufffd\ufffd")" },
		{ "\xf4\x90\x80\x80", R"("\ufffd\ufffd\ufffd\ufffd")" },
		{ "\xc0\xaf", R"("\ufffd\ufffd")" },
		{ "\xe2\x80", R"("\ufffd\ufffd")" },
		{ "a\xe2\x80\xa8" "b", R"("a\u2028b")" },
		{ "\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\"" },
		{ "\xe2\x80\xa7\xe2\x80\xaa", "\"\xe2\x80\xa7\xe2\x80\xaa\"" },
		{ "\b\f\x0b", R"("\u0008\u000c\u000b")" },
	};
	for (const auto &c : cases) {
		std::string out = "prefix";
		appendQuoted(out, c.in);
		EXPECT_EQ(out, "prefix" + std::string(c.out));
	}
}

// Writes the structure Go marshalled as
//   T{A: "x<y>…", B: []any{1, "s", true, nil, map{}, []any{}, map{"k": []any{1, 2}}},
//     C: map{"a": map{}, "z": 1}, D: struct{}{}, E: []int{}, F: nil, G: false,
//     N: math.MinInt64, X (tag "x<&>"): math.MaxInt64}
void writeSample(Writer &w)
{
	w.beginObject();
	w.key("a");
	w.string("x<y>&\xe2\x80\xa8\xe2\x80\xa9\"\\\n\r\t\x01\x1f\x7f\xff\xc3\xa9\xf0\x9f\x98\x80/");
	w.key("b");
	w.beginArray();
	w.number(1);
	w.string("s");
	w.boolean(true);
	w.null();
	w.beginObject();
	w.endObject();
	w.beginArray();
	w.endArray();
	w.beginObject();
	w.key("k");
	w.beginArray();
	w.number(1);
	w.number(2);
	w.endArray();
	w.endObject();
	w.endArray();
	w.key("c");
	w.beginObject();
	w.key("a");
	w.beginObject();
	w.endObject();
	w.key("z");
	w.number(1);
	w.endObject();
	w.key("d");
	w.beginObject();
	w.endObject();
	w.key("e");
	w.beginArray();
	w.endArray();
	w.key("f");
	w.null();
	w.key("g");
	w.boolean(false);
	w.key("n");
	w.number(INT64_MIN);
	w.key("x<&>");
	w.number(INT64_MAX);
	w.endObject();
}

// Expected outputs printed by Go 1.19 json.Marshal and json.MarshalIndent.
TEST(JsonWrite, WriterMatchesGo)
{
	const std::string a = "\"a\": \"x\\u003cy\\u003e\\u0026\\u2028\\u2029\\\"\\\\\\n\\r\\t\\u0001\\u001f\x7f\\ufffd\xc3\xa9\xf0\x9f\x98\x80/\"";
	const std::string compactA = "\"a\":" + a.substr(5);
	const struct {
		std::string_view indent;
		std::string want;
	} cases[] = {
		{ "", "{" + compactA +
			      ",\"b\":[1,\"s\",true,null,{},[],{\"k\":[1,2]}],\"c\":{\"a\":{},\"z\":1},\"d\":{},\"e\":[],"
			      "\"f\":null,\"g\":false,\"n\":-9223372036854775808,\"x\\u003c\\u0026\\u003e\":9223372036854775807}" },
		{ "  ", "{\n  " + a +
				",\n  \"b\": [\n    1,\n    \"s\",\n    true,\n    null,\n    {},\n    [],\n    {\n      \"k\": [\n"
				"        1,\n        2\n      ]\n    }\n  ],\n  \"c\": {\n    \"a\": {},\n    \"z\": 1\n  },\n"
				"  \"d\": {},\n  \"e\": [],\n  \"f\": null,\n  \"g\": false,\n  \"n\": -9223372036854775808,\n"
				"  \"x\\u003c\\u0026\\u003e\": 9223372036854775807\n}" },
		{ "\t", "{\n\t" + a +
				",\n\t\"b\": [\n\t\t1,\n\t\t\"s\",\n\t\ttrue,\n\t\tnull,\n\t\t{},\n\t\t[],\n\t\t{\n\t\t\t\"k\": [\n"
				"\t\t\t\t1,\n\t\t\t\t2\n\t\t\t]\n\t\t}\n\t],\n\t\"c\": {\n\t\t\"a\": {},\n\t\t\"z\": 1\n\t},\n"
				"\t\"d\": {},\n\t\"e\": [],\n\t\"f\": null,\n\t\"g\": false,\n\t\"n\": -9223372036854775808,\n"
				"\t\"x\\u003c\\u0026\\u003e\": 9223372036854775807\n}" },
	};
	for (const auto &c : cases) {
		std::string out;
		Writer w(out, c.indent);
		writeSample(w);
		EXPECT_EQ(out, c.want) << "indent '" << c.indent << "'";
	}
}

TEST(JsonWrite, TopLevelScalarsAndEmpty)
{
	const struct {
		std::string_view indent;
		std::string_view want;
	} cases[] = { { "", "[]" }, { "  ", "[]" } };
	for (const auto &c : cases) {
		std::string out;
		Writer w(out, c.indent);
		w.beginArray();
		w.endArray();
		EXPECT_EQ(out, c.want);
	}
	std::string out;
	Writer w(out);
	w.number(-42);
	EXPECT_EQ(out, "-42");
}

} // namespace
} // namespace flint::json
