// /etc/.ignition-result.json: when and how the machine was provisioned, as Ignition's createResultFile.
#include "files_internal.h"

#include <sys/wait.h>
#include <unistd.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <sstream>

#include "flint/base/fd_io.h"
#include "flint/base/go.h"
#include "flint/base/json.h"
#include "flint/system/distro.h"
#include "flint/system/exec.h"

namespace flint::stages::files {

namespace {

using system::RootDir;

// Go's time.Now().Format(time.RFC3339): local time, "Z" for UTC.
std::string rfc3339Now()
{
	std::time_t now = std::time(nullptr);
	struct tm tm;
	localtime_r(&now, &tm);
	char buf[64];
	std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	std::string out = buf;
	long off = tm.tm_gmtoff;
	if (off == 0)
		return out + "Z";
	char sign = off < 0 ? '-' : '+';
	off = std::labs(off);
	std::snprintf(buf, sizeof(buf), "%c%02ld:%02ld", sign, off / 3600, (off % 3600) / 60);
	return out + buf;
}

Result<std::string> readBootId()
{
	std::ifstream in(distro::kBootIdPath);
	if (!in)
		return unexpected("reading boot ID: open " + std::string(distro::kBootIdPath) + ": " +
				  std::strerror(errno));
	std::stringstream ss;
	ss << in.rdbuf();
	return std::string(go::trimSpace(ss.str()));
}

// The distribution's hook: exit status 0 on a live image.
bool isLiveImage()
{
	Result<system::ExecOutput> o = system::execCapture({ distro::kIsLiveImageCmd });
	if (!o) {
		LOG(Files, Notice) << "failed to run is-live-image hook: " << o.error().message();
		return false;
	}
	return WIFEXITED(o->status) && WEXITSTATUS(o->status) == 0;
}

} // namespace

Result<void> writeResultFile(const FilesContext &ctx, Relabeler &relabel)
{
	RootDir &root = *ctx.root;
	log::PrefixScope prefix("createResultFile");
	const std::string path = distro::kResultFilePath;
	if (path.empty())
		return {};

	std::optional<json::Value> previous;
	Result<std::optional<std::string>> prev = root.readFile(path);
	if (!prev)
		return unexpected(prev.error().withContext("reading previous report"));
	if (*prev && !isLiveImage()) {
		LOG(Files, Warning) << "Ignition has already run on this system. Unexpected behavior may occur. "
				       "Ignition is not designed to run more than once per system.";
		json::ParseOutcome parsed = json::parse(**prev);
		if (!parsed.value)
			return unexpected("couldn't unmarshal previous report output: " + parsed.error->message);
		previous = std::move(parsed.value);
	}
	Result<std::string> bootId = readBootId();
	if (!bootId)
		return unexpected(bootId.error());

	std::string text;
	json::Writer w(text, "  ");
	w.beginObject();
	w.key("provisioningBootID");
	w.string(*bootId);
	w.key("provisioningDate");
	w.string(rfc3339Now());
	w.key("userConfigProvided");
	w.boolean(ctx.userConfigProvided);
	// omitempty: a previous report of null is left out too.
	if (previous && !previous->isNull()) {
		w.key("previousReport");
		json::writeGoAny(w, *previous);
	}
	w.endObject();
	text += '\n';

	relabel.addFirstMissing(root, path);
	std::string host = root.hostPath(path);
	Result<void> r = log::logOperation("writing file " + go::quote(host), [&]() -> Result<void> {
		// Overwritten: Ignition is not meant to run twice, but a second
		// run must not fail on the first one's file.
		if (Result<void> rm = root.removeAll(path); !rm)
			return rm;
		if (Result<std::vector<std::string>> made = root.mkdirAll(go::pathDir(path), 0755); !made)
			return unexpected(made.error());
		Result<system::TempFile> tmp = root.createTempBeside(path);
		if (!tmp)
			return unexpected(tmp.error());
		if (::fchmod(tmp->fd(), 0600) < 0)
			return unexpected(errnoError("chmod " + host));
		if (Result<void> w = writeAll(tmp->fd(), text); !w)
			return unexpected(w.error().withContext(host));
		// Made durable by the stage's final sync, before it reports
		// success.
		return tmp->commit(system::TempFile::Sync::Deferred);
	});
	if (!r)
		return unexpected(r.error().withContext("adding result file"));
	return {};
}

} // namespace flint::stages::files
