#include "crypto/sha3.h"

#include <algorithm>
#include <bit>
#include <span>

#include "crypto/secure_bytes.h"

namespace attune::crypto {
namespace {

constexpr size_t kKeccakLanes = 25;
constexpr int kKeccakRounds = 24;
// 1600 bits of state less 2 * 256 bits of capacity.
constexpr size_t kSha3_256RateBytes = 136;
constexpr size_t kSha3_256RateLanes = kSha3_256RateBytes / 8;

using KeccakState = std::array<uint64_t, kKeccakLanes>;

// The index of lane (x, y), as FIPS 202 section 3.1.2 lays the state out.
constexpr size_t KeccakLane(size_t x, size_t y) {
  return x + 5 * y;
}

// rc(t) of FIPS 202 algorithm 5: the low bit of an 8-bit LFSR after t mod 255 steps. Bit i of
// `r` is the spec's R[i]; a step shifts up and, when a bit falls out at 8, feeds it back into
// bits 0, 4, 5 and 6.
constexpr uint64_t RcBit(int t) {
  unsigned r = 1;
  for (int i = 0; i < t % 255; ++i) {
    r <<= 1;
    if ((r & 0x100) != 0) r ^= 0x171;
  }
  return r & 1;
}

// The round constants of iota (algorithm 6), derived from rc rather than typed in.
constexpr std::array<uint64_t, kKeccakRounds> MakeRoundConstants() {
  std::array<uint64_t, kKeccakRounds> constants{};
  for (int round = 0; round < kKeccakRounds; ++round) {
    for (int j = 0; j <= 6; ++j) {
      constants[round] |= RcBit(j + 7 * round) << ((1u << j) - 1);
    }
  }
  return constants;
}

// The lane rotations of rho (algorithm 2): lane (0, 0) stays, the walk from (1, 0) visits the
// other 24 lanes once each.
constexpr std::array<int, kKeccakLanes> MakeRotations() {
  std::array<int, kKeccakLanes> rotations{};
  size_t x = 1;
  size_t y = 0;
  for (int t = 0; t < 24; ++t) {
    rotations[KeccakLane(x, y)] = ((t + 1) * (t + 2) / 2) % 64;
    const size_t next_y = (2 * x + 3 * y) % 5;
    x = y;
    y = next_y;
  }
  return rotations;
}

constexpr std::array<uint64_t, kKeccakRounds> kRoundConstants = MakeRoundConstants();
constexpr std::array<int, kKeccakLanes> kRotations = MakeRotations();

// Spot checks against the tables printed in the Keccak reference.
static_assert(kRoundConstants[0] == 0x0000000000000001);
static_assert(kRoundConstants[1] == 0x0000000000008082);
static_assert(kRoundConstants[23] == 0x8000000080008008);
static_assert(kRotations[KeccakLane(1, 0)] == 1 && kRotations[KeccakLane(0, 1)] == 36);
static_assert(kRotations[KeccakLane(4, 4)] == 14 && kRotations[KeccakLane(2, 0)] == 62);

void WipeLanes(std::span<uint64_t> lanes) {
  Wipe(std::span<uint8_t>(reinterpret_cast<uint8_t*>(lanes.data()), lanes.size_bytes()));
}

// Keccak-f[1600]: 24 rounds of theta, rho, pi, chi and iota (FIPS 202 section 3.3).
void KeccakF1600(KeccakState& a) {
  std::array<uint64_t, 5> column{};
  KeccakState b{};
  for (int round = 0; round < kKeccakRounds; ++round) {
    for (size_t x = 0; x < 5; ++x) {
      column[x] = a[KeccakLane(x, 0)] ^ a[KeccakLane(x, 1)] ^ a[KeccakLane(x, 2)] ^
                  a[KeccakLane(x, 3)] ^ a[KeccakLane(x, 4)];
    }
    for (size_t x = 0; x < 5; ++x) {
      const uint64_t d = column[(x + 4) % 5] ^ std::rotl(column[(x + 1) % 5], 1);
      for (size_t y = 0; y < 5; ++y) a[KeccakLane(x, y)] ^= d;
    }
    // rho and pi together: lane (x, y), rotated, moves to (y, 2x + 3y).
    for (size_t x = 0; x < 5; ++x) {
      for (size_t y = 0; y < 5; ++y) {
        b[KeccakLane(y, (2 * x + 3 * y) % 5)] =
            std::rotl(a[KeccakLane(x, y)], kRotations[KeccakLane(x, y)]);
      }
    }
    for (size_t y = 0; y < 5; ++y) {
      for (size_t x = 0; x < 5; ++x) {
        a[KeccakLane(x, y)] =
            b[KeccakLane(x, y)] ^ (~b[KeccakLane((x + 1) % 5, y)] & b[KeccakLane((x + 2) % 5, y)]);
      }
    }
    a[0] ^= kRoundConstants[round];
  }
  WipeLanes(column);
  WipeLanes(b);
}

// XORs one rate-sized block into the state, lanes little-endian, and permutes.
void AbsorbBlock(KeccakState& state, const uint8_t* block) {
  for (size_t lane = 0; lane < kSha3_256RateLanes; ++lane) {
    uint64_t value = 0;
    for (size_t i = 0; i < 8; ++i) value |= uint64_t{block[8 * lane + i]} << (8 * i);
    state[lane] ^= value;
  }
  KeccakF1600(state);
}

}  // namespace

Sha3_256Digest Sha3_256(ByteSpan data) {
  KeccakState state{};
  while (data.size() >= kSha3_256RateBytes) {
    AbsorbBlock(state, data.data());
    data = data.subspan(kSha3_256RateBytes);
  }
  // SHA-3's domain bits 01 and the pad10*1 padding: 0x06 right after the message and 0x80 in
  // the block's last byte, which meet as 0x86 when only one byte of the block is left. A
  // message that fills whole blocks gets a block of padding alone.
  std::array<uint8_t, kSha3_256RateBytes> last{};
  std::copy(data.begin(), data.end(), last.begin());
  last[data.size()] ^= 0x06;
  last[kSha3_256RateBytes - 1] ^= 0x80;
  AbsorbBlock(state, last.data());

  // 256 bits fit in the first squeeze (the rate is 1088), so no further permutation.
  Sha3_256Digest digest{};
  for (size_t i = 0; i < digest.size(); ++i) {
    digest[i] = static_cast<uint8_t>(state[i / 8] >> (8 * (i % 8)));
  }
  WipeLanes(state);
  Wipe(last);
  return digest;
}

}  // namespace attune::crypto
