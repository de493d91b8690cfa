// TLS for the fetcher: PEM bundles, verification failures described for people.
#include "tls.h"

#include <ctime>
#include <sys/stat.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "flint/base/go.h"
#include "flint/fetch/fetcher.h"

namespace flint::fetch {

namespace {

std::string nameText(X509_NAME *name)
{
	if (!name)
		return "";
	BIO *bio = BIO_new(BIO_s_mem());
	if (!bio)
		return "";
	X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253);
	char *data = nullptr;
	long n = BIO_get_mem_data(bio, &data);
	std::string out(data ? data : "", n > 0 ? static_cast<std::size_t>(n) : 0);
	BIO_free(bio);
	return out;
}

std::string timeText(const ASN1_TIME *t)
{
	struct tm tm {};
	if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
		return "(unknown)";
	char buf[64];
	std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S UTC", &tm);
	return buf;
}

std::string nowText()
{
	std::time_t now = std::time(nullptr);
	struct tm tm {};
	gmtime_r(&now, &tm);
	char buf[64];
	std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S UTC", &tm);
	return buf;
}

} // namespace

Result<std::vector<X509Ptr>> parsePemCertificates(std::string_view pem)
{
	std::vector<X509Ptr> certs;
	BIO *bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
	if (!bio)
		return unexpected(std::string("out of memory"));
	for (;;) {
		char *name = nullptr, *header = nullptr;
		unsigned char *data = nullptr;
		long len = 0;
		if (PEM_read_bio(bio, &name, &header, &data, &len) != 1) {
			ERR_clear_error();
			break;
		}
		std::string type = name;
		const unsigned char *p = data;
		X509 *x = type == "CERTIFICATE" ? d2i_X509(nullptr, &p, len) : nullptr;
		OPENSSL_free(name);
		OPENSSL_free(header);
		OPENSSL_free(data);
		if (!x) {
			BIO_free(bio);
			ERR_clear_error();
			if (type != "CERTIFICATE")
				return unexpected("PEM block " + go::quote(type) + " is not a certificate");
			return unexpected(std::string("x509: malformed certificate"));
		}
		certs.emplace_back(x, X509Deleter());
	}
	BIO_free(bio);
	if (certs.empty())
		return unexpected(std::string("unable to decode PEM block"));
	return certs;
}

std::string commonName(X509 *cert)
{
	X509_NAME *name = X509_get_subject_name(cert);
	int idx = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
	if (idx < 0)
		return "";
	ASN1_STRING *s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
	unsigned char *utf8 = nullptr;
	int n = ASN1_STRING_to_UTF8(&utf8, s);
	if (n < 0)
		return "";
	std::string out(reinterpret_cast<char *>(utf8), static_cast<std::size_t>(n));
	OPENSSL_free(utf8);
	return out;
}

void recordTlsFailure(TlsFailure &f, X509_STORE_CTX *ctx)
{
	if (f.failed)
		return;
	f.failed = true;
	f.code = X509_STORE_CTX_get_error(ctx);
	X509 *cert = X509_STORE_CTX_get_current_cert(ctx);
	if (!cert)
		return;
	f.subject = nameText(X509_get_subject_name(cert));
	f.issuer = nameText(X509_get_issuer_name(cert));
	f.notBefore = timeText(X509_get0_notBefore(cert));
	f.notAfter = timeText(X509_get0_notAfter(cert));
}

std::string tlsFailureText(const TlsFailure &f, std::string_view host, std::string_view curlDetail)
{
	std::string who = f.subject.empty() ? std::string("the server's certificate")
					    : "certificate " + go::quote(f.subject);
	if (!f.failed || f.code == X509_V_ERR_HOSTNAME_MISMATCH || f.code == X509_V_ERR_IP_ADDRESS_MISMATCH)
		return "x509: certificate is not valid for " + go::quote(std::string(host)) +
		       (curlDetail.empty() ? std::string() : " (" + std::string(curlDetail) + ")");
	switch (f.code) {
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
		return "x509: certificate signed by unknown authority (" + who + " issued by " +
		       go::quote(f.issuer) +
		       "); add that authority to ignition.security.tls.certificateAuthorities";
	case X509_V_ERR_CERT_NOT_YET_VALID:
		return "x509: " + who + " is not yet valid: valid from " + f.notBefore +
		       ", but this machine's clock says " + nowText() +
		       "; is the clock wrong? (check the RTC or the firmware's time)";
	case X509_V_ERR_CERT_HAS_EXPIRED:
		return "x509: " + who + " has expired: valid until " + f.notAfter + ", and this machine's clock says " +
		       nowText() + " (if the certificate is current, the clock is wrong)";
	default:
		return "x509: verifying " + who + ": " + X509_verify_cert_error_string(f.code);
	}
}

Result<std::vector<std::string>> caCommonNames(std::string_view pem)
{
	Result<std::vector<X509Ptr>> certs = parsePemCertificates(pem);
	if (!certs)
		return unexpected(certs.error());
	std::vector<std::string> names;
	for (const X509Ptr &c : *certs)
		names.push_back(commonName(c.get()));
	return names;
}

const std::string &systemCaFile()
{
	// Go's crypto/x509 certFiles for Linux, in its order.
	static const std::string file = [] {
		const char *candidates[] = {
			"/etc/ssl/certs/ca-certificates.crt",
			"/etc/pki/tls/certs/ca-bundle.crt",
			"/etc/ssl/ca-bundle.pem",
			"/etc/pki/tls/cacert.pem",
			"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
			"/etc/ssl/cert.pem",
		};
		for (const char *c : candidates) {
			struct stat st;
			if (stat(c, &st) == 0 && S_ISREG(st.st_mode))
				return std::string(c);
		}
		return std::string();
	}();
	return file;
}

} // namespace flint::fetch
