// Ignition's state file (-state-file): what earlier stages and runs recorded.
#include "engine/state.h"


#include <algorithm>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/fsutil.h"
#include "flint/base/fd_io.h"
#include "flint/base/go.h"

namespace flint::engine {

namespace {

void writeValue(json::Writer &w, const json::Value &v)
{
	switch (v.kind) {
	case json::Kind::Null:
		w.null();
		return;
	case json::Kind::Bool:
		w.boolean(v.boolean);
		return;
	case json::Kind::Number:
		if (std::optional<std::int64_t> n = go::parseInt64(v.text))
			w.number(*n);
		else
			w.null(); // no floats in Ignition's state
		return;
	case json::Kind::String:
		w.string(v.text);
		return;
	case json::Kind::Array:
		w.beginArray();
		for (const json::Value &item : v.items)
			writeValue(w, item);
		w.endArray();
		return;
	case json::Kind::Object:
		w.beginObject();
		for (const json::Member &m : v.members) {
			w.key(m.key);
			writeValue(w, m.value);
		}
		w.endObject();
		return;
	}
}

Error typeError(std::string_view what)
{
	return Error("parsing state file: json: cannot unmarshal " + std::string(what));
}

} // namespace

Result<State> State::load(const std::string &path)
{
	State state;
	if (!pathExists(path))
		return state;
	Result<std::string> data = readFile(path);
	if (!data)
		return unexpected(data.error().withContext("reading state file"));

	json::ParseOutcome parsed = json::parse(*data);
	if (parsed.error)
		return unexpected(Error("parsing state file: " + parsed.error->message));
	const json::Value &root = *parsed.value;
	if (root.isNull())
		return state;
	if (root.kind != json::Kind::Object)
		return unexpected(typeError("a non-object into Go value of type state.State"));

	for (const json::Member &m : root.members) {
		if (m.key != "fetchedConfigs") {
			// Go keeps the last of repeated keys.
			std::erase_if(state.others_, [&](const json::Member &o) { return o.key == m.key; });
			state.others_.push_back(m);
			continue;
		}
		state.fetchedConfigs_.clear();
		if (m.value.isNull())
			continue;
		if (m.value.kind != json::Kind::Array)
			return unexpected(typeError("fetchedConfigs into Go value of type []state.FetchedConfig"));
		for (const json::Value &item : m.value.items) {
			if (item.kind != json::Kind::Object)
				return unexpected(typeError("fetchedConfigs item into Go value of type state.FetchedConfig"));
			FetchedConfig fc;
			if (const json::Value *v = item.find("kind"); v && v->kind == json::Kind::String)
				fc.kind = v->text;
			if (const json::Value *v = item.find("source"); v && v->kind == json::Kind::String)
				fc.source = v->text;
			if (const json::Value *v = item.find("referenced"); v && v->kind == json::Kind::Bool)
				fc.referenced = v->boolean;
			state.fetchedConfigs_.push_back(std::move(fc));
		}
	}
	return state;
}

std::string State::toJson() const
{
	std::string out;
	json::Writer w(out);
	w.beginObject();
	w.key("fetchedConfigs");
	if (fetchedConfigs_.empty()) {
		w.null();
	} else {
		w.beginArray();
		for (const FetchedConfig &fc : fetchedConfigs_) {
			w.beginObject();
			w.key("kind");
			w.string(fc.kind);
			w.key("source");
			w.string(fc.source);
			w.key("referenced");
			w.boolean(fc.referenced);
			w.endObject();
		}
		w.endArray();
	}
	// Ignition 2.14's other members, null when absent, then any others.
	for (const char *name : { "luksPersistKeyFiles", "notatedDirectories" }) {
		w.key(name);
		auto it = std::find_if(others_.begin(), others_.end(), [&](const json::Member &m) { return m.key == name; });
		if (it == others_.end())
			w.null();
		else
			writeValue(w, it->value);
	}
	for (const json::Member &m : others_) {
		if (m.key == "luksPersistKeyFiles" || m.key == "notatedDirectories")
			continue;
		w.key(m.key);
		writeValue(w, m.value);
	}
	w.endObject();
	return out;
}

Result<void> State::save(const std::string &path) const
{
	if (Result<void> r = mkdirAll(go::pathDir(path), 0700); !r)
		return unexpected(r.error().withContext("creating directory for state file"));

	std::string data = toJson() + "\n";
	int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return unexpected(pathError("open", path, errno).context("writing state file"));
	if (Result<void> w = writeAll(fd, data); !w) {
		close(fd);
		return unexpected(pathError("write", path, w.error().errnum()).context("writing state file"));
	}
	if (close(fd) < 0)
		return unexpected(pathError("close", path, errno).context("writing state file"));
	return {};
}

} // namespace flint::engine
