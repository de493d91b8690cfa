// The ConfigFetcher the stages use: the bytes of config resources for the renderer and the providers.
#include "engine/config_fetcher.h"

#include "flint/base/dataurl.h"

namespace flint::engine {

namespace {

// Until the fetch layer is linked in: data: URLs and empty sources only.
// Everything else needs the network: offline that is fetch-offline's
// ErrNeedNet; online it is an error saying the scheme is not supported yet.
class DataOnlyFetcher final : public StageConfigFetcher
{
public:
	explicit DataOnlyFetcher(bool offline) : offline_(offline) {}

	Result<std::string> fetch(const config::Resource &res) override
	{
		const std::string url = res.source.value_or("");
		if (url.empty())
			return std::string();
		if (url.starts_with("data:")) {
			if (res.compression && !res.compression->empty())
				return unexpected("compression " + *res.compression +
						  " of config resources is not supported yet in this build of Flint");
			if (res.verification.hash && !res.verification.hash->empty())
				return unexpected(std::string("verification of config resources is not supported yet in "
							      "this build of Flint"));
			Result<DataUrl> d = decodeDataUrl(url);
			if (!d)
				return unexpected(d.error());
			return std::move(d->data);
		}
		if (offline_) {
			neededNetwork_ = true;
			return unexpected(std::string("resource requires networking"));
		}
		return unexpected(std::string("fetching remote resources is not implemented yet in this build of Flint"));
	}

	Result<void> updateSettings(const config::Config &) override { return {}; }
	bool neededNetwork() const override { return neededNetwork_; }

private:
	bool offline_;
	bool neededNetwork_ = false;
};

} // namespace

std::unique_ptr<StageConfigFetcher> makeStageConfigFetcher(bool offline, std::int64_t)
{
	return std::make_unique<DataOnlyFetcher>(offline);
}

} // namespace flint::engine
