// Ignition-compatible logging: journal or "LEVEL    : message" lines, a prefix stack and op(N) markers.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "flint/base/result.h"

namespace flint::log {

// Syslog priorities; the numeric value is the journal's PRIORITY field.
enum class Level {
	Emergency = 0,
	Alert = 1,
	Critical = 2,
	Error = 3,
	Warning = 4,
	Notice = 5,
	Info = 6,
	Debug = 7,
};

// The column Ignition's stdout logger prints before ": ", e.g. "CRITICAL :".
std::string_view levelLabel(Level level);

// Where log lines go.
enum class Sink {
	Journal, // sd_journal_send with SYSLOG_IDENTIFIER=ignition and the real PRIORITY
	Stdout,  // "INFO     : message" lines, as ignition -log-to-stdout
	Stderr,  // the same lines on stderr (flint fetch, whose stdout is content)
	Capture, // kept in memory (tests)
};

// An extra journal field such as MESSAGE_ID=...; the name must be a valid
// journal field name (upper case, digits, underscores).
struct Field {
	std::string name;
	std::string value;
};

// Whether the journal socket is there to write to.
bool journalAvailable();

// A log category: a name (for documentation and per-area thresholds) and the
// most verbose level it emits. Categories are plain objects defined with
// FLINT_LOG_DEFINE_CATEGORY; nothing registers itself at static
// initialisation.
class Category final
{
public:
	explicit Category(std::string_view name) : name_(name) {}

	std::string_view name() const { return name_; }
	Level threshold() const { return threshold_; }
	void setThreshold(Level level) { threshold_ = level; }
	bool enabled(Level level) const { return static_cast<int>(level) <= static_cast<int>(threshold_); }

private:
	std::string_view name_;
	// Ignition logs everything down to DEBUG, so that is the default.
	Level threshold_ = Level::Debug;
};

class Recording;

// The process-wide logger. Ignition has exactly one logger per run; so does
// Flint. Not thread-safe beyond serialising writes: a second thread that
// logs does it into a Recording (RecordScope), which the first replays.
class Logger final
{
public:
	static Logger &instance();

	// Selects the sink. Journal checks that the journal socket is writable
	// and, as Ignition does when syslog cannot be opened, falls back to
	// stdout and logs an ERROR saying so.
	void setSink(Sink sink);
	Sink sink() const { return sink_; }

	// Writes one message at `level`, preceded by the prefix stack.
	void write(Level level, std::string_view message);

	// Sends a structured journal entry with extra fields (MESSAGE_ID=...,
	// IGNITION_CONFIG_TYPE=...). Like go-systemd's journal.Send, this goes to
	// the journal whatever the sink is; the message text is not prefixed.
	// Returns an error when the journal cannot be reached, for the caller to
	// log ("failed to log systemd journal entry: ...").
	[[nodiscard]] Result<void> sendStructured(Level level, std::string_view message,
						  const std::vector<Field> &fields);

	// The prefix stack: every message starts with "p1: p2: ".
	void pushPrefix(std::string prefix);
	void popPrefix();
	std::string prefixed(std::string_view message) const;

	// Operation numbering: op(1), op(2), ... op(a) (lowercase hex), one
	// counter per run as Ignition's LogOp.
	unsigned nextOperation() { return ++opSequence_; }

	// The innermost operation that failed first (logOperation records it),
	// for the failure summary: "writing file \"/sysroot/etc/motd\"".
	void recordFailedOperation(std::string_view what);
	std::optional<std::string> firstFailedOperation() const;

	// Lines written while the sink is Capture, as "LEVEL    : message".
	const std::vector<std::string> &captured() const { return captured_; }
	void clearCaptured() { captured_.clear(); }

	// Back to the initial state: Stdout sink, empty prefix stack, op
	// counter 0 (tests).
	void reset();

	// While batching (nested calls count), lines for stdout/stderr are
	// collected and written in blocks of up to 64 KiB instead of one
	// write(2) each; for loops that log thousands of lines and never wait
	// on anything outside the process. A WARNING or worse line, and
	// endBatch(), write out what is collected at once.
	void beginBatch();
	void endBatch();

	// Pushes "op(N)" with the next operation number (logOperation).
	void pushOperationPrefix();

private:
	friend class Recording;
	Logger() = default;

	Sink sink_ = Sink::Stdout;
	std::vector<std::string> prefixes_;
	unsigned opSequence_ = 0;
	std::vector<std::string> captured_;
	mutable std::mutex failedMutex_;
	std::optional<std::string> firstFailed_;
	unsigned batching_ = 0;
	std::string batch_;

	void flushBatch();
};

// What one thread logged, kept to be written later by another, in order and
// as if it were logged there and then: the replaying thread's prefixes come
// first and op(N) numbers are given out at replay. For work that runs beside
// the thread that logs (the files stage writes some files while the users
// are created) whose log must read as if it had run after it.
class Recording final
{
public:
	// Writes everything recorded through the logger, on the calling
	// thread, and empties the recording.
	void replay();
	bool empty() const { return events_.empty(); }

private:
	friend class Logger;
	enum class Kind { Write, Structured, Push, Pop, PushOperation, FailedOperation };
	struct Event {
		Kind kind;
		Level level = Level::Info;
		std::string text;
		std::vector<Field> fields;
	};
	std::vector<Event> events_;
};

// While it lives, everything the calling thread logs goes into `recording`.
class RecordScope final
{
public:
	explicit RecordScope(Recording &recording);
	~RecordScope();
	RecordScope(const RecordScope &) = delete;
	RecordScope &operator=(const RecordScope &) = delete;

private:
	Recording *previous_;
};

// Batches stdout log lines for the lifetime of the object (Logger::beginBatch).
class BatchScope final
{
public:
	BatchScope() { Logger::instance().beginBatch(); }
	~BatchScope() { Logger::instance().endBatch(); }
	BatchScope(const BatchScope &) = delete;
	BatchScope &operator=(const BatchScope &) = delete;
};

// Pushes a prefix for the lifetime of the object.
class PrefixScope final
{
public:
	explicit PrefixScope(std::string prefix) { Logger::instance().pushPrefix(std::move(prefix)); }
	~PrefixScope() { Logger::instance().popPrefix(); }
	PrefixScope(const PrefixScope &) = delete;
	PrefixScope &operator=(const PrefixScope &) = delete;
};

// Ignition's LogOp: pushes "op(N)", logs "[started]  <what>", runs `op`,
// then logs "[finished] <what>" (INFO) or "[failed]   <what>: <error>"
// (CRITICAL), pops the prefix and returns op's result.
[[nodiscard]] Result<void> logOperation(std::string_view what, const std::function<Result<void>()> &op);

// One message being formatted; written when destroyed. Use through LOG().
class Message final
{
public:
	explicit Message(Level level) : level_(level) {}
	~Message() { Logger::instance().write(level_, stream_.str()); }
	Message(const Message &) = delete;
	Message &operator=(const Message &) = delete;

	std::ostream &stream() { return stream_; }

private:
	Level level_;
	std::ostringstream stream_;
};

// Turns the stream expression into void so LOG() can be the second operand
// of ?: (libcamera's trick: no dangling-else, no formatting when disabled).
struct Voidify {
	void operator&(std::ostream &) {}
};

} // namespace flint::log

// Declares a category in a header: FLINT_LOG_DECLARE_CATEGORY(Engine).
#define FLINT_LOG_DECLARE_CATEGORY(name) \
	namespace flint::log { Category &category##name(); }

// Defines it in exactly one .cpp: FLINT_LOG_DEFINE_CATEGORY(Engine, "engine").
#define FLINT_LOG_DEFINE_CATEGORY(name, text)       \
	namespace flint::log {                          \
	Category &category##name()                      \
	{                                               \
		static Category category(text);         \
		return category;                        \
	}                                               \
	}

// LOG(Engine, Info) << "Stage: " << stage; the stream is not evaluated when
// the level is disabled for the category.
#define LOG(cat, level)                                                               \
	!::flint::log::category##cat().enabled(::flint::log::Level::level)            \
		? (void)0                                                              \
		: ::flint::log::Voidify() & ::flint::log::Message(::flint::log::Level::level).stream()
