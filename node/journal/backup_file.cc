#include "node/journal/backup_file.h"

#include <algorithm>

#include "crypto/keyed_hash.h"
#include "crypto/password_kdf.h"
#include "node/journal_reason.h"

namespace attune::node {
namespace {

namespace stream = crypto::sealed_stream;

constexpr std::string_view kCheckLabel = "attune/backup/v1 check";
constexpr std::string_view kStreamLabel = "attune/backup/v1 stream";
constexpr size_t kKeyByteAt = 9;
constexpr size_t kKdfAt = 10;
constexpr size_t kWrappedAt = kKdfAt + crypto::kEncodedKdfParamsBytes;
constexpr size_t kStreamHeaderAt = kWrappedAt + kBackupWrappedKeyBytes;
constexpr size_t kCheckAt = kStreamHeaderAt + stream::kHeaderBytes;
static_assert(kCheckAt + crypto::kTagBytes == kBackupHeaderBytes);
constexpr size_t kSealedChunkBytes = kBackupChunkBytes + stream::kOverheadBytes;

Status BackupDamaged(Status status) {
  return status.WithReason(JournalReason::kBackupDamaged);
}

Bytes KeyCheck(const Secret& data_key, ByteSpan header_before_check) {
  return crypto::AuthTag(crypto::DeriveSubkey(data_key, kCheckLabel), header_before_check);
}

Secret StreamKey(const Secret& data_key) {
  return crypto::DeriveSubkey(data_key, kStreamLabel, stream::kKeyBytes);
}

Bytes EncodeHeader(const Secret& data_key, const std::optional<Keyring::StoredWrap>& wrap,
                   const stream::Header& stream_header) {
  Bytes header(kBackupHeaderBytes, 0);
  std::copy(kBackupMagic.begin(), kBackupMagic.end(), header.begin());
  header[kBackupMagic.size()] = kBackupVersion;
  if (wrap) {
    header[kKeyByteAt] = 1;
    std::copy(wrap->kdf_params.begin(), wrap->kdf_params.end(), header.begin() + kKdfAt);
    std::copy(wrap->wrapped_key.begin(), wrap->wrapped_key.end(), header.begin() + kWrappedAt);
  }
  std::copy(stream_header.begin(), stream_header.end(), header.begin() + kStreamHeaderAt);
  const Bytes check = KeyCheck(data_key, ByteSpan(header).first(kCheckAt));
  std::copy(check.begin(), check.end(), header.begin() + kCheckAt);
  return header;
}

}  // namespace

Status WriteBackup(const Secret& data_key, const std::optional<Keyring::StoredWrap>& wrap,
                   const ByteSource& snapshot, const ByteSink& out) {
  if (wrap && (wrap->kdf_params.size() != crypto::kEncodedKdfParamsBytes ||
               wrap->wrapped_key.size() != kBackupWrappedKeyBytes)) {
    return Status::Corruption("the stored wrapped data key has the wrong size");
  }
  ATTUNE_ASSIGN_OR_RETURN(stream::Writer writer, stream::Writer::Start(StreamKey(data_key)));
  const Bytes header = EncodeHeader(data_key, wrap, writer.header());
  ATTUNE_RETURN_IF_ERROR(out(header));
  // One chunk read ahead, so that the last one is known when it is sealed.
  Bytes current(kBackupChunkBytes), next(kBackupChunkBytes);
  ATTUNE_ASSIGN_OR_RETURN(size_t filled, snapshot(current));
  while (true) {
    size_t next_filled = 0;
    if (filled == kBackupChunkBytes) {
      ATTUNE_ASSIGN_OR_RETURN(next_filled, snapshot(next));
    }
    const bool final = filled < kBackupChunkBytes || next_filled == 0;
    ATTUNE_ASSIGN_OR_RETURN(Bytes sealed,
                            writer.Seal(ByteSpan(current).first(filled), header, final));
    ATTUNE_RETURN_IF_ERROR(out(sealed));
    if (final) return Status::Ok();
    std::swap(current, next);
    filled = next_filled;
  }
}

Result<BackupHeader> ReadBackupHeader(const ByteSource& in) {
  BackupHeader header;
  header.bytes.resize(kBackupHeaderBytes);
  ATTUNE_ASSIGN_OR_RETURN(size_t got, in(header.bytes));
  const ByteSpan bytes(header.bytes);
  if (got < kBackupHeaderBytes ||
      !std::equal(kBackupMagic.begin(), kBackupMagic.end(), bytes.begin())) {
    return Status::Corruption("not an attune backup").WithReason(JournalReason::kNotABackup);
  }
  if (bytes[kBackupMagic.size()] != kBackupVersion) {
    return Status::Unsupported("the backup was made by a newer attune");
  }
  const uint8_t key_byte = bytes[kKeyByteAt];
  if (key_byte > 1) return BackupDamaged(Status::Corruption("the backup's key byte is not 0 or 1"));
  if (key_byte == 1) {
    const ByteSpan params = bytes.subspan(kKdfAt, crypto::kEncodedKdfParamsBytes);
    if (!crypto::DecodeKdfParams(params).ok()) {
      return BackupDamaged(Status::Corruption("the backup's KDF parameters are not attune's"));
    }
    const ByteSpan wrapped = bytes.subspan(kWrappedAt, kBackupWrappedKeyBytes);
    header.wrap = Keyring::StoredWrap{Bytes(params.begin(), params.end()),
                                      Bytes(wrapped.begin(), wrapped.end())};
  }
  std::copy_n(bytes.begin() + kStreamHeaderAt, stream::kHeaderBytes, header.stream_header.begin());
  return header;
}

bool BackupKeyMatches(const BackupHeader& header, const Secret& data_key) {
  if (header.bytes.size() != kBackupHeaderBytes) return false;
  const ByteSpan bytes(header.bytes);
  return crypto::VerifyAuthTag(crypto::DeriveSubkey(data_key, kCheckLabel), bytes.first(kCheckAt),
                               bytes.subspan(kCheckAt));
}

Status ReadBackupBody(const BackupHeader& header, const Secret& data_key, const ByteSource& in,
                      const ByteSink& out) {
  ATTUNE_ASSIGN_OR_RETURN(stream::Reader reader,
                          stream::Reader::Start(StreamKey(data_key), header.stream_header));
  Bytes sealed(kSealedChunkBytes);
  while (!reader.finished()) {
    ATTUNE_ASSIGN_OR_RETURN(size_t got, in(sealed));
    if (got == 0) return BackupDamaged(Status::Corruption("the backup ends before its last part"));
    Result<crypto::sealed_stream::Chunk> chunk =
        reader.Open(ByteSpan(sealed).first(got), header.bytes);
    if (!chunk.ok()) return BackupDamaged(chunk.status());
    // Only the final chunk may be short: a short one without the final tag was cut.
    if (got < kSealedChunkBytes && !chunk->final) {
      return BackupDamaged(Status::Corruption("the backup ends before its last part"));
    }
    ATTUNE_RETURN_IF_ERROR(out(chunk->plaintext));
  }
  uint8_t extra = 0;
  ATTUNE_ASSIGN_OR_RETURN(size_t after, in(std::span<uint8_t>(&extra, 1)));
  if (after != 0) return BackupDamaged(Status::Corruption("bytes after the end of the backup"));
  return Status::Ok();
}

}  // namespace attune::node
