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

// The JSON kind as Go's *json.UnmarshalTypeError names it.
std::string_view kindName(const json::Value &v)
{
	switch (v.kind) {
	case json::Kind::Null:
		return "null";
	case json::Kind::Bool:
		return "bool";
	case json::Kind::Number:
		return "number";
	case json::Kind::String:
		return "string";
	case json::Kind::Array:
		return "array";
	case json::Kind::Object:
		return "object";
	}
	return "value";
}

} // namespace

Error State::fieldTypeError(const json::Value &v, std::string_view field, std::string_view goType)
{
	return typeError(std::string(kindName(v)) + " into Go struct field State." + std::string(field) +
			 " of type " + std::string(goType));
}

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
		// encoding/json matches field names case-insensitively.
		if (go::equalFold(m.key, "luksPersistKeyFiles")) {
			if (Result<void> r = state.loadLuksKeys(m.value); !r)
				return unexpected(r.error());
			continue;
		}
		if (go::equalFold(m.key, "notatedDirectories")) {
			if (Result<void> r = state.loadNotated(m.value); !r)
				return unexpected(r.error());
			continue;
		}
		if (!go::equalFold(m.key, "fetchedConfigs")) {
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

Result<void> State::loadLuksKeys(const json::Value &v)
{
	if (v.isNull()) {
		luksPersistKeyFiles_.reset();
		return {};
	}
	if (v.kind != json::Kind::Object)
		return unexpected(fieldTypeError(v, "luksPersistKeyFiles", "map[string]string"));
	// Go decodes into the map it already has: a repeated member merges.
	if (!luksPersistKeyFiles_)
		luksPersistKeyFiles_.emplace();
	for (const json::Member &m : v.members) {
		if (m.value.kind != json::Kind::String && !m.value.isNull())
			return unexpected(fieldTypeError(m.value, "luksPersistKeyFiles", "string"));
		(*luksPersistKeyFiles_)[m.key] = m.value.text;
	}
	return {};
}

Result<void> State::loadNotated(const json::Value &v)
{
	if (v.isNull()) {
		notatedDirectories_.reset();
		return {};
	}
	if (v.kind != json::Kind::Array)
		return unexpected(fieldTypeError(v, "notatedDirectories", "[]string"));
	notatedDirectories_.emplace();
	for (const json::Value &item : v.items) {
		if (item.kind != json::Kind::String && !item.isNull())
			return unexpected(fieldTypeError(item, "notatedDirectories", "string"));
		notatedDirectories_->push_back(item.text);
	}
	return {};
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
	w.key("luksPersistKeyFiles");
	if (!luksPersistKeyFiles_) {
		w.null();
	} else {
		// Go marshals map keys sorted, as std::map holds them.
		w.beginObject();
		for (const auto &[name, url] : *luksPersistKeyFiles_) {
			w.key(name);
			w.string(url);
		}
		w.endObject();
	}
	w.key("notatedDirectories");
	if (!notatedDirectories_) {
		w.null();
	} else {
		w.beginArray();
		for (const std::string &d : *notatedDirectories_)
			w.string(d);
		w.endArray();
	}
	for (const json::Member &m : others_) {
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
