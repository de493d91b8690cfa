// The content pipeline: bytes as they arrive -> gunzip -> hash -> sink.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "flint/base/result.h"
#include "flint/fetch/fetcher.h"

namespace flint::fetch {

// Decompresses (gzip, multi-member as Go's compress/gzip) and hashes the
// bytes of one resource on their way into a Sink, in constant memory. The
// hash is over the decompressed bytes and is checked by finish().
class ContentPipeline final
{
public:
	// Errors for an unknown compression or a malformed hash (validation
	// rejects both before a config gets here).
	[[nodiscard]] static Result<std::unique_ptr<ContentPipeline>> create(std::string_view compression,
									      std::string_view hash, Sink *sink);
	~ContentPipeline();
	ContentPipeline(const ContentPipeline &) = delete;
	ContentPipeline &operator=(const ContentPipeline &) = delete;

	// The next bytes as they came off the wire.
	[[nodiscard]] Result<void> feed(std::string_view bytes);
	// End of input: the gzip stream must be complete and the hash match.
	[[nodiscard]] Result<void> finish();
	// Back to the start, for a retry: decompressor, hash and sink.
	[[nodiscard]] Result<void> rewind();

	std::uint64_t bytesIn() const { return bytesIn_; }
	std::uint64_t bytesOut() const { return bytesOut_; }

private:
	ContentPipeline() = default;
	Result<void> emit(std::string_view bytes);
	Result<void> resetState();

	struct Gzip;
	struct Hasher;

	Sink *sink_ = nullptr;
	std::unique_ptr<Gzip> gzip_;
	std::unique_ptr<Hasher> hasher_;
	std::string expected_; // lower-case hex
	std::uint64_t bytesIn_ = 0;
	std::uint64_t bytesOut_ = 0;
};

// "hash verification failed (calculated <hex> but expected <hex>)", as
// Ignition words it.
std::string hashMismatchText(std::string_view calculated, std::string_view expected);

} // namespace flint::fetch
