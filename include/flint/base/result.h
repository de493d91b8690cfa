// Result<T> and Error: expected failures travel as values, never as exceptions.
#pragma once

#include <cerrno>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace flint {

// An error with a message that gains context on its way up, e.g.
// "files: creating users: useradd \"core\": exit status 9".
class Error final
{
public:
	explicit Error(std::string message, int errnum = 0)
		: message_(std::move(message)), errnum_(errnum)
	{
	}

	const std::string &message() const { return message_; }
	int errnum() const { return errnum_; }

	// Prefixes the message with "what: ".
	Error &context(std::string_view what)
	{
		message_ = std::string(what) + ": " + message_;
		return *this;
	}

	Error withContext(std::string_view what) const &
	{
		Error e = *this;
		e.context(what);
		return e;
	}

private:
	std::string message_;
	int errnum_;
};

// Builds an Error from errno: "<what>: <strerror>".
Error errnoError(std::string_view what, int errnum = errno);

// The error side of a Result, as std::unexpected is for std::expected.
struct Unexpected {
	Error error;
};

inline Unexpected unexpected(Error e) { return Unexpected{ std::move(e) }; }
inline Unexpected unexpected(std::string message) { return Unexpected{ Error(std::move(message)) }; }

// A subset of std::expected<T, Error>, so switching later is one line.
template<typename T>
class [[nodiscard]] Result final
{
public:
	Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
	Result(Unexpected u) : v_(std::in_place_index<1>, std::move(u.error)) {}

	bool has_value() const { return v_.index() == 0; }
	explicit operator bool() const { return has_value(); }

	T &value() & { return std::get<0>(v_); }
	const T &value() const & { return std::get<0>(v_); }
	T &&value() && { return std::get<0>(std::move(v_)); }
	T &operator*() & { return value(); }
	const T &operator*() const & { return value(); }
	T *operator->() { return &value(); }
	const T *operator->() const { return &value(); }

	const Error &error() const & { return std::get<1>(v_); }
	Error &error() & { return std::get<1>(v_); }

private:
	std::variant<T, Error> v_;
};

template<>
class [[nodiscard]] Result<void> final
{
public:
	Result() = default;
	Result(Unexpected u) : err_(std::move(u.error)), ok_(false) {}

	bool has_value() const { return ok_; }
	explicit operator bool() const { return ok_; }
	const Error &error() const & { return err_; }
	Error &error() & { return err_; }

private:
	Error err_{ "" };
	bool ok_ = true;
};

} // namespace flint
