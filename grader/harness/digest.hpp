// Harness: SHA-1 hex digests (OpenSSL EVP) for results, bodies and bench outputs.
#pragma once

#include <string>
#include <string_view>

namespace parlab {

// Lower-case hex SHA-1 of the bytes. Thread-safe: the algorithm is fetched once for the
// process, and each call uses its own context (OpenSSL's one-shot EVP_Digest takes a global
// lock and would serialize callers).
std::string sha1_hex(std::string_view bytes);

// Incremental form, for digesting a result piece by piece. Not shared between threads.
class Sha1 {
 public:
  Sha1();
  ~Sha1();
  Sha1(const Sha1&) = delete;
  Sha1& operator=(const Sha1&) = delete;
  Sha1& update(std::string_view bytes);
  std::string hex();  // finishes; the object may not be updated afterwards

 private:
  void* ctx_;  // EVP_MD_CTX*, kept opaque so callers need no OpenSSL headers
};

}  // namespace parlab
