// TLS for the fetcher: extra CA certificates and errors that name their cause.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/x509.h>

#include "flint/base/result.h"

namespace flint::fetch {

// An X509 certificate, freed with X509_free.
struct X509Deleter {
	void operator()(X509 *x) const { X509_free(x); }
};
using X509Ptr = std::shared_ptr<X509>;

// The certificates of a PEM bundle, in order. Like Ignition, every block
// must be a certificate; an empty bundle or a block that does not decode is
// an error ("unable to decode PEM block").
Result<std::vector<X509Ptr>> parsePemCertificates(std::string_view pem);

// The subject's common name ("" when there is none), as Ignition logs it in
// `Adding "<CN>" to list of CAs`.
std::string commonName(X509 *cert);

// The first certificate verification failure seen during a handshake.
struct TlsFailure {
	bool failed = false;
	int code = 0;          // X509_V_ERR_*
	std::string subject;   // of the certificate that failed
	std::string issuer;
	std::string notBefore; // "2030-01-01 00:00:00 UTC"
	std::string notAfter;
};

// Records the failure in `f` (certificate details from the store context).
void recordTlsFailure(TlsFailure &f, X509_STORE_CTX *ctx);

// The message for a failed verification of `host`'s certificate: unknown
// authority, a name the certificate does not cover, not yet valid (with a
// hint that the clock may be wrong), expired. `curlDetail` is libcurl's text.
std::string tlsFailureText(const TlsFailure &f, std::string_view host, std::string_view curlDetail);

// The system trust store file, as Go's crypto/x509 finds it on Linux; ""
// when there is none (an initramfs may carry none).
const std::string &systemCaFile();

} // namespace flint::fetch
