// Harness: SHA-1 through OpenSSL 3's EVP interface (see digest.hpp).
#include "digest.hpp"

#include <openssl/evp.h>

#include <array>
#include <stdexcept>

namespace parlab {
namespace {

// Fetched once: EVP_MD_fetch is the expensive, lock-taking step. A function-local static is
// initialized exactly once even when several threads get here first.
const EVP_MD* sha1_algorithm() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  if (md == nullptr) throw std::runtime_error("OpenSSL has no SHA1");
  return md;
}

std::string to_hex(const unsigned char* data, unsigned len) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(2 * static_cast<std::size_t>(len), '0');
  for (unsigned i = 0; i < len; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 0xF];
  }
  return out;
}

}  // namespace

Sha1::Sha1() : ctx_(EVP_MD_CTX_new()) {
  if (ctx_ == nullptr || EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), sha1_algorithm(), nullptr) != 1) {
    EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_));
    throw std::runtime_error("cannot start a SHA-1 digest");
  }
}

Sha1::~Sha1() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }

Sha1& Sha1::update(std::string_view bytes) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), bytes.data(), bytes.size());
  return *this;
}

std::string Sha1::hex() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned len = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), md.data(), &len);
  return to_hex(md.data(), len);
}

std::string sha1_hex(std::string_view bytes) { return Sha1{}.update(bytes).hex(); }

}  // namespace parlab
