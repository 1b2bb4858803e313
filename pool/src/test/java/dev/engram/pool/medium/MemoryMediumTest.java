package dev.engram.pool.medium;

class MemoryMediumTest extends MediumContractTest {
    @Override
    Medium newMedium(long size) {
        return MemoryMedium.allocate(size);
    }
}
