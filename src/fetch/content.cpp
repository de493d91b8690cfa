// The content pipeline: zlib for gzip, OpenSSL EVP for sha256/sha512, streamed.
#include "content.h"

#include <array>
#include <cctype>

#include <openssl/evp.h>
#include <zlib.h>

namespace flint::fetch {

// A gzip decoder that, like Go's gzip.Reader in multistream mode, reads
// member after member until the input ends.
struct ContentPipeline::Gzip {
	z_stream zs{};
	bool initialized = false;
	bool inMember = false; // inside a member (header seen, end not yet)
	bool sawMember = false;

	~Gzip()
	{
		if (initialized)
			inflateEnd(&zs);
	}

	Result<void> reset()
	{
		if (initialized)
			inflateEnd(&zs);
		zs = z_stream{};
		// 16 + MAX_WBITS: gzip wrapper only, as compress/gzip.
		if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
			return unexpected(std::string("gzip: cannot initialize the decompressor"));
		initialized = true;
		inMember = false;
		sawMember = false;
		return {};
	}
};

struct ContentPipeline::Hasher {
	EVP_MD_CTX *ctx = nullptr;
	const EVP_MD *md = nullptr;

	~Hasher() { EVP_MD_CTX_free(ctx); }

	Result<void> reset()
	{
		if (EVP_DigestInit_ex(ctx, md, nullptr) != 1)
			return unexpected(std::string("cannot initialize the hash function"));
		return {};
	}
};

namespace {

bool isHex(std::string_view s)
{
	for (char c : s)
		if (!std::isxdigit(static_cast<unsigned char>(c)))
			return false;
	return !s.empty() && s.size() % 2 == 0;
}

std::string toHex(const unsigned char *p, std::size_t n)
{
	static constexpr char kDigits[] = "0123456789abcdef";
	std::string out;
	out.reserve(2 * n);
	for (std::size_t i = 0; i < n; i++) {
		out += kDigits[p[i] >> 4];
		out += kDigits[p[i] & 15];
	}
	return out;
}

} // namespace

std::string hashMismatchText(std::string_view calculated, std::string_view expected)
{
	return "hash verification failed (calculated " + std::string(calculated) + " but expected " +
	       std::string(expected) + ")";
}

Result<std::unique_ptr<ContentPipeline>> ContentPipeline::create(std::string_view compression, std::string_view hash,
								  Sink *sink)
{
	std::unique_ptr<ContentPipeline> p(new ContentPipeline());
	p->sink_ = sink;
	if (compression == "gzip") {
		p->gzip_ = std::make_unique<Gzip>();
		if (Result<void> r = p->gzip_->reset(); !r)
			return unexpected(r.error());
	} else if (!compression.empty()) {
		return unexpected("unsupported compression " + std::string(compression));
	}
	if (!hash.empty()) {
		std::size_t dash = hash.find('-');
		std::string_view fn = hash.substr(0, dash == std::string_view::npos ? 0 : dash);
		std::string_view sum = dash == std::string_view::npos ? std::string_view() : hash.substr(dash + 1);
		const EVP_MD *md = nullptr;
		std::size_t size = 0;
		if (fn == "sha512") {
			md = EVP_sha512();
			size = 64;
		} else if (fn == "sha256") {
			md = EVP_sha256();
			size = 32;
		} else if (dash == std::string_view::npos) {
			return unexpected(std::string("malformed hash specifier"));
		} else {
			return unexpected(std::string("unrecognized hash function"));
		}
		if (!isHex(sum) || sum.size() != 2 * size)
			return unexpected(std::string("incorrect size for hash sum"));
		p->expected_.reserve(sum.size());
		for (char c : sum)
			p->expected_ += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
		p->hasher_ = std::make_unique<Hasher>();
		p->hasher_->md = md;
		p->hasher_->ctx = EVP_MD_CTX_new();
		if (!p->hasher_->ctx)
			return unexpected(std::string("cannot allocate the hash function"));
		if (Result<void> r = p->hasher_->reset(); !r)
			return unexpected(r.error());
	}
	return p;
}

ContentPipeline::~ContentPipeline() = default;

Result<void> ContentPipeline::emit(std::string_view bytes)
{
	if (bytes.empty())
		return {};
	bytesOut_ += bytes.size();
	if (hasher_ && EVP_DigestUpdate(hasher_->ctx, bytes.data(), bytes.size()) != 1)
		return unexpected(std::string("hashing failed"));
	if (sink_)
		return sink_->write(bytes);
	return {};
}

Result<void> ContentPipeline::feed(std::string_view bytes)
{
	bytesIn_ += bytes.size();
	if (!gzip_)
		return emit(bytes);

	Gzip &gz = *gzip_;
	std::array<unsigned char, 64 * 1024> out;
	gz.zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(bytes.data()));
	gz.zs.avail_in = static_cast<uInt>(bytes.size());
	// Input left, or output zlib may still hold (the last call filled the
	// buffer) for the bytes already given.
	bool full = false;
	while (gz.zs.avail_in > 0 || (gz.inMember && full)) {
		if (!gz.inMember) {
			// A new member starts here (or trailing bytes follow the
			// last one, which Go rejects as an invalid header).
			if (gz.sawMember && inflateReset(&gz.zs) != Z_OK)
				return unexpected(std::string("gzip: cannot reset the decompressor"));
			gz.inMember = true;
		}
		gz.zs.next_out = out.data();
		gz.zs.avail_out = out.size();
		uInt before = gz.zs.avail_in;
		int rc = inflate(&gz.zs, Z_NO_FLUSH);
		std::size_t produced = out.size() - gz.zs.avail_out;
		full = gz.zs.avail_out == 0;
		if (Result<void> r = emit(std::string_view(reinterpret_cast<char *>(out.data()), produced)); !r)
			return r;
		if (rc == Z_STREAM_END) {
			gz.inMember = false;
			gz.sawMember = true;
			continue;
		}
		if (rc == Z_BUF_ERROR && produced == 0 && before > 0 && gz.zs.avail_in == before)
			return unexpected(std::string("gzip: decompression made no progress"));
		if (rc == Z_DATA_ERROR) {
			const char *why = gz.zs.msg ? gz.zs.msg : "corrupt data";
			if (gz.zs.total_out == 0 && gz.zs.total_in < 10)
				return unexpected("gzip: invalid header (" + std::string(why) + ")");
			return unexpected("gzip: " + std::string(why));
		}
		if (rc != Z_OK && rc != Z_BUF_ERROR)
			return unexpected("gzip: decompression failed (zlib error " + std::to_string(rc) + ")");
	}
	return {};
}

Result<void> ContentPipeline::finish()
{
	if (gzip_ && (gzip_->inMember || !gzip_->sawMember))
		return unexpected(std::string("gzip: unexpected end of compressed data (the gzip stream is truncated)"));
	if (hasher_) {
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned int n = 0;
		if (EVP_DigestFinal_ex(hasher_->ctx, md, &n) != 1)
			return unexpected(std::string("hashing failed"));
		std::string calculated = toHex(md, n);
		if (calculated != expected_)
			return unexpected(hashMismatchText(calculated, expected_));
	}
	if (sink_)
		sink_->complete();
	return {};
}

Result<void> ContentPipeline::resetState()
{
	bytesIn_ = 0;
	bytesOut_ = 0;
	if (gzip_)
		if (Result<void> r = gzip_->reset(); !r)
			return r;
	if (hasher_)
		if (Result<void> r = hasher_->reset(); !r)
			return r;
	return {};
}

Result<void> ContentPipeline::rewind()
{
	if (Result<void> r = resetState(); !r)
		return r;
	if (sink_)
		return sink_->rewind();
	return {};
}

} // namespace flint::fetch
