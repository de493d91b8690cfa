// The content pipeline: gzip (single and multi-member, truncated, corrupt), hashes, rewind.
//
// Compressed inputs are made here with zlib's gzip writer, the same library
// the pipeline reads with, and cross-checked against the gzip(1) of the host
// in tests/fetch/ (which fetches real gzip files over real servers).
#include <gtest/gtest.h>

#include <string>
#include <zlib.h>

#include "../../../src/fetch/content.h"

using namespace flint;
using namespace flint::fetch;

namespace {

std::string gzipOf(const std::string &data)
{
	z_stream zs{};
	EXPECT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
	std::string out(deflateBound(&zs, data.size()) + 64, '\0');
	zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
	zs.avail_in = data.size();
	zs.next_out = reinterpret_cast<Bytef *>(out.data());
	zs.avail_out = out.size();
	EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
	out.resize(zs.total_out);
	deflateEnd(&zs);
	return out;
}

// sha512 and sha256 of "hello\n" (from sha512sum/sha256sum).
const std::string kHelloSha512 = "e7c22b994c59d9cf2b48e549b1e24666636045930d3da7c1acb299d1c3b7f931"
				 "f94aae41edda2c2b207a36e10f8bcb8d45223e54878f5b316e7ce3b6bc019629";
const std::string kHelloSha256 = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

Result<std::string> run(const std::string &input, const std::string &compression, const std::string &hash,
			std::size_t chunk = 0)
{
	StringSink sink;
	auto p = ContentPipeline::create(compression, hash, &sink);
	if (!p)
		return unexpected(p.error());
	if (chunk == 0)
		chunk = input.size() ? input.size() : 1;
	for (std::size_t i = 0; i < input.size(); i += chunk)
		if (Result<void> r = (*p)->feed(std::string_view(input).substr(i, chunk)); !r)
			return unexpected(r.error());
	if (Result<void> r = (*p)->finish(); !r)
		return unexpected(r.error());
	return sink.data();
}

TEST(Content, PlainAndHashes)
{
	EXPECT_EQ(*run("hello\n", "", ""), "hello\n");
	EXPECT_EQ(*run("hello\n", "", "sha512-" + kHelloSha512), "hello\n");
	EXPECT_EQ(*run("hello\n", "", "sha256-" + kHelloSha256), "hello\n");
	std::string upper = kHelloSha256;
	for (char &c : upper)
		c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
	EXPECT_TRUE(run("hello\n", "", "sha256-" + upper)) << "hex case does not matter";
}

TEST(Content, HashMismatchMessage)
{
	std::string wrong(128, '0');
	auto r = run("hello\n", "", "sha512-" + wrong);
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().message(), "hash verification failed (calculated " + kHelloSha512 + " but expected " +
					       wrong + ")");
}

TEST(Content, BadSpecifiers)
{
	EXPECT_EQ(run("x", "xz", "").error().message(), "unsupported compression xz");
	EXPECT_EQ(run("x", "", "md5-00").error().message(), "unrecognized hash function");
	EXPECT_EQ(run("x", "", "sha256-abc").error().message(), "incorrect size for hash sum");
	EXPECT_EQ(run("x", "", "sha256").error().message(), "malformed hash specifier");
}

TEST(Content, GzipWholeAndByteByByte)
{
	std::string data;
	for (int i = 0; i < 100000; i++)
		data += std::to_string(i * 7919 % 1000) + ",";
	std::string gz = gzipOf(data);
	EXPECT_EQ(*run(gz, "gzip", ""), data);
	EXPECT_EQ(*run(gz, "gzip", "", 1), data);
	EXPECT_EQ(*run(gz, "gzip", "", 4093), data);
}

TEST(Content, GzipHashIsOverDecompressedBytes)
{
	std::string gz = gzipOf("hello\n");
	EXPECT_EQ(*run(gz, "gzip", "sha512-" + kHelloSha512), "hello\n");
}

TEST(Content, GzipMultiMember)
{
	EXPECT_EQ(*run(gzipOf("hel") + gzipOf("lo\n"), "gzip", "sha256-" + kHelloSha256), "hello\n");
	EXPECT_EQ(*run(gzipOf("hel") + gzipOf("lo\n"), "gzip", "", 3), "hello\n");
}

TEST(Content, GzipTruncatedEmptyCorruptTrailing)
{
	std::string gz = gzipOf(std::string(10000, 'a') + "tail");
	auto truncated = run(gz.substr(0, gz.size() - 6), "gzip", "");
	ASSERT_FALSE(truncated);
	EXPECT_NE(truncated.error().message().find("gzip: unexpected end"), std::string::npos);

	auto empty = run("", "gzip", "");
	ASSERT_FALSE(empty);
	EXPECT_NE(empty.error().message().find("gzip: unexpected end"), std::string::npos);

	auto notGzip = run("plain text, not gzip", "gzip", "");
	ASSERT_FALSE(notGzip);
	EXPECT_NE(notGzip.error().message().find("gzip: invalid header"), std::string::npos);

	std::string corrupt = gz;
	corrupt[corrupt.size() / 2] ^= 0x55;
	corrupt[corrupt.size() / 2 + 1] ^= 0x55;
	EXPECT_FALSE(run(corrupt, "gzip", "")) << "flipped bits fail the stream or its CRC";

	auto trailing = run(gzipOf("x") + "garbage!!", "gzip", "");
	ASSERT_FALSE(trailing);
	EXPECT_NE(trailing.error().message().find("gzip: invalid header"), std::string::npos);
}

TEST(Content, RewindStartsOver)
{
	StringSink sink;
	auto p = ContentPipeline::create("gzip", "sha512-" + kHelloSha512, &sink);
	ASSERT_TRUE(p);
	std::string gz = gzipOf("hello\n");
	ASSERT_TRUE((*p)->feed(std::string_view(gz).substr(0, gz.size() / 2)));
	EXPECT_TRUE((*p)->rewind());
	EXPECT_EQ(sink.data(), "");
	ASSERT_TRUE((*p)->feed(gz));
	ASSERT_TRUE((*p)->finish());
	EXPECT_EQ(sink.data(), "hello\n");
	EXPECT_EQ((*p)->bytesOut(), 6u);
	EXPECT_EQ((*p)->bytesIn(), gz.size());
}

} // namespace
