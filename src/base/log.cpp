// Ignition-compatible logging: journal or "LEVEL    : message" lines, a prefix stack and op(N) markers.
#include "flint/base/log.h"

#include <cstdio>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#define SD_JOURNAL_SUPPRESS_LOCATION
#include <systemd/sd-journal.h>

namespace flint::log {

namespace {

constexpr const char *kJournalSocket = "/run/systemd/journal/socket";
constexpr std::string_view kIdentifier = "ignition";

std::string hex(unsigned n)
{
	char buf[16];
	std::snprintf(buf, sizeof(buf), "%x", n);
	return buf;
}

// Sends MESSAGE, PRIORITY, SYSLOG_IDENTIFIER and `fields` in one datagram.
int journalSend(Level level, std::string_view message, const std::vector<Field> &fields)
{
	std::vector<std::string> items;
	items.reserve(3 + fields.size());
	items.push_back("MESSAGE=" + std::string(message));
	items.push_back("PRIORITY=" + std::to_string(static_cast<int>(level)));
	items.push_back("SYSLOG_IDENTIFIER=" + std::string(kIdentifier));
	for (const Field &f : fields)
		items.push_back(f.name + "=" + f.value);

	std::vector<struct iovec> iov(items.size());
	for (std::size_t i = 0; i < items.size(); i++) {
		iov[i].iov_base = items[i].data();
		iov[i].iov_len = items[i].size();
	}
	return sd_journal_sendv(iov.data(), static_cast<int>(iov.size()));
}

// The recording the calling thread logs into, if any (RecordScope).
thread_local Recording *tRecording = nullptr;

} // namespace

std::string_view levelLabel(Level level)
{
	switch (level) {
	case Level::Emergency:
		return "EMERGENCY:";
	case Level::Alert:
		return "ALERT    :";
	case Level::Critical:
		return "CRITICAL :";
	case Level::Error:
		return "ERROR    :";
	case Level::Warning:
		return "WARNING  :";
	case Level::Notice:
		return "NOTICE   :";
	case Level::Info:
		return "INFO     :";
	case Level::Debug:
		return "DEBUG    :";
	}
	return "DEBUG    :";
}

bool journalAvailable()
{
	return access(kJournalSocket, W_OK) == 0;
}

Logger &Logger::instance()
{
	static Logger logger;
	return logger;
}

void Logger::setSink(Sink sink)
{
	sink_ = sink;
	if (sink != Sink::Journal)
		return;

	// Ignition opens syslog once and falls back to stdout with an ERROR line;
	// sd_journal_send would fail silently on every message instead.
	if (access(kJournalSocket, W_OK) != 0) {
		int err = errno;
		sink_ = Sink::Stdout;
		write(Level::Error, std::string("unable to open the journal: ") + kJournalSocket + ": " +
					    strerror(err));
	}
}

void Logger::flushBatch()
{
	if (batch_.empty())
		return;
	std::FILE *out = sink_ == Sink::Stderr ? stderr : stdout;
	std::fwrite(batch_.data(), 1, batch_.size(), out);
	std::fflush(out);
	batch_.clear();
}

void Logger::beginBatch()
{
	// A recording is written in one go when replayed.
	if (!tRecording)
		batching_++;
}

void Logger::endBatch()
{
	if (!tRecording && batching_ > 0 && --batching_ == 0)
		flushBatch();
}

void Logger::write(Level level, std::string_view message)
{
	if (tRecording) {
		tRecording->events_.push_back({ Recording::Kind::Write, level, std::string(message), {} });
		return;
	}
	if (batching_ > 0 && (sink_ == Sink::Stdout || sink_ == Sink::Stderr)) {
		// Straight into the batch: the loops that batch write tens of
		// thousands of lines.
		batch_ += levelLabel(level);
		batch_ += ' ';
		for (const std::string &p : prefixes_) {
			batch_ += p;
			batch_ += ": ";
		}
		batch_ += message;
		batch_ += '\n';
		if (batch_.size() >= (64u << 10) || static_cast<int>(level) <= static_cast<int>(Level::Warning))
			flushBatch();
		return;
	}
	std::string text = prefixed(message);

	switch (sink_) {
	case Sink::Journal:
		if (journalSend(level, text, {}) >= 0)
			return;
		// The journal went away (e.g. journald restarting): keep the
		// message rather than lose it.
		[[fallthrough]];
	case Sink::Stdout:
	case Sink::Stderr: {
		std::string line;
		line.reserve(text.size() + 12);
		line += levelLabel(level);
		line += ' ';
		line += text;
		line += '\n';
		std::FILE *out = sink_ == Sink::Stderr ? stderr : stdout;
		std::fwrite(line.data(), 1, line.size(), out);
		std::fflush(out);
		return;
	}
	case Sink::Capture:
		captured_.push_back(std::string(levelLabel(level)) + " " + text);
		return;
	}
}

Result<void> Logger::sendStructured(Level level, std::string_view message, const std::vector<Field> &fields)
{
	if (tRecording) {
		// Sent at replay; its error, if any, is lost then, as callers
		// ignore it or only log it.
		tRecording->events_.push_back({ Recording::Kind::Structured, level, std::string(message), fields });
		return {};
	}
	if (sink_ == Sink::Capture) {
		std::string line = std::string(levelLabel(level)) + " " + std::string(message);
		for (const Field &f : fields)
			line += " " + f.name + "=" + f.value;
		captured_.push_back(std::move(line));
		return {};
	}
	int r = journalSend(level, message, fields);
	if (r < 0)
		return unexpected(errnoError(std::string("sending to ") + kJournalSocket, -r));
	return {};
}

void Logger::pushPrefix(std::string prefix)
{
	if (tRecording) {
		tRecording->events_.push_back({ Recording::Kind::Push, Level::Info, std::move(prefix), {} });
		return;
	}
	prefixes_.push_back(std::move(prefix));
}

void Logger::pushOperationPrefix()
{
	if (tRecording) {
		tRecording->events_.push_back({ Recording::Kind::PushOperation, Level::Info, {}, {} });
		return;
	}
	pushPrefix("op(" + hex(nextOperation()) + ")");
}

void Logger::popPrefix()
{
	if (tRecording) {
		tRecording->events_.push_back({ Recording::Kind::Pop, Level::Info, {}, {} });
		return;
	}
	if (prefixes_.empty()) {
		write(Level::Debug, "popped from empty stack");
		return;
	}
	prefixes_.pop_back();
}

std::string Logger::prefixed(std::string_view message) const
{
	std::string out;
	for (const std::string &p : prefixes_) {
		out += p;
		out += ": ";
	}
	out += message;
	return out;
}

void Logger::recordFailedOperation(std::string_view what)
{
	if (tRecording) {
		tRecording->events_.push_back({ Recording::Kind::FailedOperation, Level::Critical, std::string(what), {} });
		return;
	}
	std::lock_guard<std::mutex> lock(failedMutex_);
	if (!firstFailed_)
		firstFailed_ = std::string(what);
}

std::optional<std::string> Logger::firstFailedOperation() const
{
	std::lock_guard<std::mutex> lock(failedMutex_);
	return firstFailed_;
}

void Logger::reset()
{
	{
		std::lock_guard<std::mutex> lock(failedMutex_);
		firstFailed_.reset();
	}
	flushBatch();
	batching_ = 0;
	sink_ = Sink::Stdout;
	prefixes_.clear();
	opSequence_ = 0;
	captured_.clear();
}

Result<void> logOperation(std::string_view what, const std::function<Result<void>()> &op)
{
	Logger &logger = Logger::instance();
	logger.pushOperationPrefix();
	struct Pop {
		~Pop() { Logger::instance().popPrefix(); }
	} pop;

	logger.write(Level::Info, "[started]  " + std::string(what));
	Result<void> result = op();
	if (!result) {
		logger.write(Level::Critical, "[failed]   " + std::string(what) + ": " + result.error().message());
		logger.recordFailedOperation(what);
		return result;
	}
	logger.write(Level::Info, "[finished] " + std::string(what));
	return result;
}

void Recording::replay()
{
	Logger &logger = Logger::instance();
	std::vector<Event> events = std::move(events_);
	events_.clear();
	BatchScope batch;
	for (Event &e : events) {
		switch (e.kind) {
		case Kind::Write:
			logger.write(e.level, e.text);
			break;
		case Kind::Structured:
			(void)logger.sendStructured(e.level, e.text, e.fields);
			break;
		case Kind::Push:
			logger.pushPrefix(std::move(e.text));
			break;
		case Kind::Pop:
			logger.popPrefix();
			break;
		case Kind::PushOperation:
			logger.pushOperationPrefix();
			break;
		case Kind::FailedOperation:
			logger.recordFailedOperation(e.text);
			break;
		}
	}
}

RecordScope::RecordScope(Recording &recording) : previous_(tRecording)
{
	tRecording = &recording;
}

RecordScope::~RecordScope()
{
	tRecording = previous_;
}

} // namespace flint::log
