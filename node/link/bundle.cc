// Offline bundles: the journal's side (node/bundle.h).
#include "node/bundle.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <vector>

#include "base/scope_exit.h"
#include "base/system_error.h"
#include "base/unique_fd.h"
#include "crypto/secure_bytes.h"
#include "node/journal/journal_sync.h"
#include "node/journal/link_identity.h"
#include "node/private_file.h"
#include "protocol/bundle.h"
#include "protocol/bundle_seal.h"

namespace attune::node {
namespace {

struct Keys {
  crypto::X25519KeyPair own;
  crypto::X25519PublicKey partner{};
};

Result<Keys> LoadKeys(Journal& journal) {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Partner> partner, journal.GetPartner());
  if (!partner) {
    return Status::NotFound("no partner").WithReason(JournalReason::kNotPaired);
  }
  ATTUNE_ASSIGN_OR_RETURN(crypto::X25519KeyPair own, LinkIdentityOf(journal));
  return Keys{std::move(own), partner->public_key};
}

bool Exists(const std::string& path) {
  struct stat info {};
  return ::lstat(path.c_str(), &info) == 0;
}

// Reads exactly `size` bytes from `fd` into `into`; kCorruption if the file ends first.
Status ReadExactly(int fd, uint8_t* into, size_t size) {
  size_t done = 0;
  while (done < size) {
    const ssize_t got = ::read(fd, into + done, size - done);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return SystemErrorStatus(errno, "cannot read the bundle");
    if (got == 0) return Status::Corruption("the bundle is damaged: it ended early");
    done += static_cast<size_t>(got);
  }
  return Status::Ok();
}

// kUnknownPeer unless `header` (a file's first 48 bytes) was sealed by the partner for this
// journal. protocol/bundle_seal.h opens only whole files, and it checks the header before any
// chunk: given the header and one chunk of zeros, it says kUnknownPeer for a foreign header,
// and after a header that opens, the zeros fail their tag (kAuthFailed), which means "go on".
Status CheckHeader(const Keys& keys, ByteSpan header) {
  Bytes probe(header.begin(), header.end());
  probe.resize(protocol::kBundleHeaderBytes + protocol::kBundleChunkBytes, 0);
  Result<Bytes> opened = protocol::OpenSealedBundle(keys.own, keys.partner, probe);
  if (opened.ok()) crypto::Wipe(*opened);
  if (!opened.ok() && opened.status().code() == StatusCode::kUnknownPeer) return opened.status();
  return Status::Ok();
}

// The whole file, read only once it has passed what can be checked without reading it: its
// size must be a bundle's (fstat), and its first 48 bytes must have been sealed by the partner
// for this journal. So a huge file, or one of a bundle's size from a stranger, is refused after
// reading at most 48 bytes. Opened non-blocking: a FIFO or a device is refused by its type
// instead of waiting for a writer.
Result<Bytes> ReadBundleFile(const std::string& path, const Keys& keys) {
  const UniqueFd file_fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (!file_fd.valid()) {
    if (errno == ENOENT) return Status::NotFound(path).WithReason(BundleReason::kNoSuchFile);
    return SystemErrorStatus(errno, "cannot read the bundle");
  }
  const int fd = file_fd.get();
  struct stat info {};
  if (::fstat(fd, &info) != 0) return SystemErrorStatus(errno, "cannot read the bundle");
  if (!S_ISREG(info.st_mode) || !protocol::IsBundleSize(static_cast<size_t>(info.st_size))) {
    return Status::Corruption("the bundle is damaged: its size is not a bundle's");
  }
  std::array<uint8_t, protocol::kBundleHeaderBytes> header{};
  ATTUNE_RETURN_IF_ERROR(ReadExactly(fd, header.data(), header.size()));
  ATTUNE_RETURN_IF_ERROR(CheckHeader(keys, header));
  Bytes file(static_cast<size_t>(info.st_size));  // only now: up to 128 MiB
  std::copy(header.begin(), header.end(), file.begin());
  ATTUNE_RETURN_IF_ERROR(ReadExactly(fd, file.data() + header.size(), file.size() - header.size()));
  return file;
}

void WipeRows(std::vector<protocol::LogRow>& rows) {
  for (protocol::LogRow& row : rows) crypto::Wipe(row.content);
}

}  // namespace

Result<BundleWriteResult> WriteBundle(Journal& journal, const std::string& path, bool replace) {
  ATTUNE_ASSIGN_OR_RETURN(Keys keys, LoadKeys(journal));
  if (!replace && Exists(path)) {  // early, before any work: the move into place decides
    return Status::InvalidArgument(path + " already exists")
        .WithReason(PrivateFileReason::kFileExists);
  }
  JournalSyncStore store(journal);
  ATTUNE_ASSIGN_OR_RETURN(uint64_t acked, store.AckedByPeer());
  ATTUNE_ASSIGN_OR_RETURN(protocol::BundleWritten written,
                          protocol::BuildBundleContent(store, acked));
  Result<Bytes> sealed = protocol::SealBundle(keys.own, keys.partner, written.content);
  crypto::Wipe(written.content);
  if (!sealed.ok()) return sealed.status();
  ATTUNE_RETURN_IF_ERROR(
      WritePrivateFile(path, *sealed, replace ? ExistingFile::kReplace : ExistingFile::kRefuse));
  return BundleWriteResult{written.sent, written.withdrew, sealed->size(), written.complete};
}

Result<BundleOpenResult> OpenBundle(Journal& journal, const std::string& path) {
  ATTUNE_ASSIGN_OR_RETURN(Keys keys, LoadKeys(journal));
  ATTUNE_ASSIGN_OR_RETURN(Bytes file, ReadBundleFile(path, keys));
  const uint64_t file_bytes = file.size();
  Result<Bytes> opened = protocol::OpenSealedBundle(keys.own, keys.partner, file);
  Bytes().swap(file);  // a bundle may be large: hold one copy at a time
  ATTUNE_ASSIGN_OR_RETURN(Bytes content, std::move(opened));
  Result<protocol::BundleContent> decoded = protocol::DecodeBundleContent(content);
  crypto::Wipe(content);
  if (!decoded.ok()) return Status::ProtocolError(decoded.status().detail());
  ScopeExit wipe([&] { WipeRows(decoded->rows); });

  JournalSyncStore store(journal);
  ATTUNE_ASSIGN_OR_RETURN(uint64_t acked, store.AckedByPeer());
  ATTUNE_ASSIGN_OR_RETURN(protocol::BundleApplied applied,
                          protocol::ApplyBundle(store, acked, *decoded));
  BundleOpenResult result;
  result.received = applied.applied.received;
  result.removed = applied.applied.removed;
  result.refused = applied.applied.refused;
  result.skipped = applied.skipped;
  result.partner_started_over = applied.new_epoch;
  result.newly_delivered = applied.acknowledged;
  result.own_log_restarted = applied.log_restarted;
  result.complete = decoded->complete;
  result.bytes = file_bytes;
  return result;
}

}  // namespace attune::node
