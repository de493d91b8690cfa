// The ConfigFetcher the stages use: the bytes of config resources for the renderer and the providers.
#pragma once

#include <memory>

#include "engine/render.h"

namespace flint::engine {

// A ConfigFetcher that also tells whether a fetch failed only because it
// needed the network while offline (fetch-offline's ErrNeedNet).
class StageConfigFetcher : public ConfigFetcher
{
public:
	// True once a fetch was refused because it needed the network.
	virtual bool neededNetwork() const = 0;
};

// `offline`: fetch-offline (only data: URLs and empty sources are fetched;
// anything else fails and sets neededNetwork()). `totalTimeoutNs` bounds the
// provider fetch (-fetch-timeout) until a config's own timeouts apply.
std::unique_ptr<StageConfigFetcher> makeStageConfigFetcher(bool offline, std::int64_t totalTimeoutNs);

} // namespace flint::engine
