//! Huffman tables and the bit reader of the entropy-coded scan, with the block decoder that
//! turns the bits of one 8x8 block into its 64 quantised coefficients.
//!
//! Every malformed input ends in an `Err` with a short English reason, and nothing here
//! panics. The caller then hands the photo to the general decoder, which reports the error.

/// Code lengths up to this many bits are decoded with one table lookup.
const FAST_BITS: u32 = 10;

/// Marks a `fast_ac` entry that ends the block.
const END_OF_BLOCK: i32 = 1 << 12;

/// Zigzag scan position to natural (row-major) position within a block.
pub(super) const ZIGZAG: [usize; 64] = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20,
    13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59,
    52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

/// One Huffman table of a DHT segment.
pub(super) struct HuffmanTable {
    /// Indexed by the next [`FAST_BITS`] bits: `length << 8 | symbol`, or 0 for a longer code.
    fast: Vec<u16>,
    /// For AC tables, indexed like `fast`: a coefficient whose code and magnitude bits both
    /// fit, packed as `value << 16 | run << 8 | total length`, or [`END_OF_BLOCK`] with the
    /// code's length. Other entries are 0.
    fast_ac: Vec<i32>,
    /// Codes of length `l`, left-aligned to 16 bits, are below `max_code[l]`.
    max_code: [u32; 17],
    /// Added to a code of length `l` to give its index in `symbols`.
    delta: [i32; 17],
    symbols: Vec<u8>,
}

impl HuffmanTable {
    /// Builds a table from the 16 code-length counts and the symbols of a DHT segment.
    pub fn new(counts: &[u8; 16], symbols: &[u8]) -> Result<HuffmanTable, &'static str> {
        let total: usize = counts.iter().map(|&count| usize::from(count)).sum();
        if total != symbols.len() || total > 256 {
            return Err("a Huffman table's counts do not match its symbols");
        }

        let mut fast = vec![0u16; 1 << FAST_BITS];
        let mut max_code = [0u32; 17];
        let mut delta = [0i32; 17];
        let mut code = 0u32;
        let mut index = 0usize;
        for length in 1..=16u32 {
            let count = u32::from(counts[length as usize - 1]);
            delta[length as usize] = index as i32 - code as i32;
            for _ in 0..count {
                if code >= 1 << length {
                    return Err("a Huffman table has more codes than its lengths allow");
                }
                if length <= FAST_BITS {
                    let first = (code << (FAST_BITS - length)) as usize;
                    let entry = (length as u16) << 8 | u16::from(symbols[index]);
                    fast[first..first + (1 << (FAST_BITS - length))].fill(entry);
                }
                code += 1;
                index += 1;
            }
            max_code[length as usize] = code << (16 - length);
            code <<= 1;
        }

        let mut table = HuffmanTable {
            fast,
            fast_ac: Vec::new(),
            max_code,
            delta,
            symbols: symbols.to_vec(),
        };
        table.fast_ac = table.build_fast_ac();
        Ok(table)
    }

    /// Pre-decodes the AC coefficients whose code and magnitude bits fit in [`FAST_BITS`].
    fn build_fast_ac(&self) -> Vec<i32> {
        let mut fast_ac = vec![0i32; 1 << FAST_BITS];
        for (peek, entry) in fast_ac.iter_mut().enumerate() {
            let fast = self.fast[peek];
            let length = u32::from(fast >> 8);
            let symbol = fast & 0xFF;
            let run = u32::from(symbol >> 4);
            let size = u32::from(symbol & 0x0F);
            if length != 0 && symbol == 0 {
                *entry = END_OF_BLOCK | length as i32;
                continue;
            }
            if length == 0 || size == 0 || length + size > FAST_BITS {
                continue;
            }
            let bits = (peek as u32 >> (FAST_BITS - length - size)) & ((1 << size) - 1);
            let value = extend(bits, size);
            *entry = value << 16 | (run << 8 | (length + size)) as i32;
        }
        fast_ac
    }
}

/// Reads the bits of one entropy-coded segment, removing the stuffed zero after each FF byte.
/// At a marker or at the end of the data it feeds zero bits, and counts them, so that
/// [`BitReader::check_not_overrun`] can tell a complete scan from a truncated one.
pub(super) struct BitReader<'a> {
    data: &'a [u8],
    position: usize,
    /// The next bit to read is bit 63.
    buffer: u64,
    bits: u32,
    /// Zero bits appended after a marker or the end of the data.
    padding_bits: u32,
    at_marker: bool,
}

impl<'a> BitReader<'a> {
    pub fn new(data: &'a [u8]) -> BitReader<'a> {
        BitReader {
            data,
            position: 0,
            buffer: 0,
            bits: 0,
            padding_bits: 0,
            at_marker: false,
        }
    }

    /// Decodes one block: the DC difference added to `prediction`, then the AC run-lengths.
    /// `block` must be zeroed; only non-zero coefficients are written, in natural order.
    #[inline]
    pub fn decode_block(
        &mut self,
        dc_table: &HuffmanTable,
        ac_table: &HuffmanTable,
        prediction: &mut i32,
        block: &mut [i16; 64],
    ) -> Result<(), &'static str> {
        self.refill_to(32);
        let size = u32::from(self.decode_symbol(dc_table)?);
        if size > 11 {
            return Err("a DC difference is wider than 8-bit samples allow");
        }
        let difference = self.receive_extend(size);
        *prediction = prediction.saturating_add(difference);
        block[0] = (*prediction).clamp(i32::from(i16::MIN), i32::from(i16::MAX)) as i16;

        let mut position = 1usize;
        while position < 64 {
            self.refill_to(32);
            let peek = (self.buffer >> (64 - FAST_BITS)) as usize;
            let fast = ac_table.fast_ac[peek];
            if fast & END_OF_BLOCK != 0 {
                self.consume((fast & 0xFF) as u32);
                break;
            }
            if fast != 0 {
                position += ((fast >> 8) & 0x0F) as usize;
                let Some(&natural) = ZIGZAG.get(position) else {
                    return Err("an AC run passes the end of its block");
                };
                block[natural & 63] = (fast >> 16) as i16;
                self.consume((fast & 0xFF) as u32);
                position += 1;
                continue;
            }

            let symbol = self.decode_symbol(ac_table)?;
            let run = usize::from(symbol >> 4);
            let size = u32::from(symbol & 0x0F);
            if size == 0 {
                if run == 15 {
                    position += 16;
                    continue;
                }
                break;
            }
            if size > 10 {
                return Err("an AC coefficient is wider than 8-bit samples allow");
            }
            position += run;
            let Some(&natural) = ZIGZAG.get(position) else {
                return Err("an AC run passes the end of its block");
            };
            block[natural & 63] = self.receive_extend(size) as i16;
            position += 1;
        }
        Ok(())
    }

    /// Moves past the restart marker that must follow the current interval and resets the
    /// bit buffer. The DC predictions are reset by the caller.
    pub fn restart(&mut self) -> Result<(), &'static str> {
        self.check_not_overrun()?;
        let mut position = self.position;
        while self.data.get(position) == Some(&0xFF) && self.data.get(position + 1) == Some(&0xFF) {
            position += 1;
        }
        match (self.data.get(position), self.data.get(position + 1)) {
            (Some(0xFF), Some(0xD0..=0xD7)) => {}
            _ => return Err("a restart marker is missing"),
        }
        self.position = position + 2;
        self.buffer = 0;
        self.bits = 0;
        self.padding_bits = 0;
        self.at_marker = false;
        Ok(())
    }

    /// Fails if decoding read into the zero bits appended after the data: the scan was cut
    /// short, or its codes are wrong.
    pub fn check_not_overrun(&self) -> Result<(), &'static str> {
        if self.bits < self.padding_bits {
            return Err("the scan ends before its last block");
        }
        Ok(())
    }

    #[inline(always)]
    fn decode_symbol(&mut self, table: &HuffmanTable) -> Result<u8, &'static str> {
        let peek = (self.buffer >> (64 - FAST_BITS)) as usize;
        let fast = table.fast[peek];
        if fast != 0 {
            self.consume(u32::from(fast >> 8));
            return Ok((fast & 0xFF) as u8);
        }
        self.decode_long_symbol(table)
    }

    /// Decodes a code longer than [`FAST_BITS`].
    #[inline(never)]
    fn decode_long_symbol(&mut self, table: &HuffmanTable) -> Result<u8, &'static str> {
        let peek = (self.buffer >> 48) as u32;
        for length in FAST_BITS + 1..=16 {
            if peek < table.max_code[length as usize] {
                let code = (peek >> (16 - length)) as i32;
                let index = code + table.delta[length as usize];
                let symbol = usize::try_from(index)
                    .ok()
                    .and_then(|index| table.symbols.get(index))
                    .copied()
                    .ok_or("a Huffman code points outside its table")?;
                self.consume(length);
                return Ok(symbol);
            }
        }
        Err("the scan contains a code its Huffman table does not have")
    }

    /// Reads `size` magnitude bits and returns the signed value they encode.
    fn receive_extend(&mut self, size: u32) -> i32 {
        if size == 0 {
            return 0;
        }
        let bits = (self.buffer >> (64 - size)) as u32;
        self.consume(size);
        extend(bits, size)
    }

    fn consume(&mut self, count: u32) {
        self.buffer <<= count;
        self.bits -= count;
    }

    /// Tops the buffer up to more than 56 bits when it has fewer than `minimum_bits`.
    #[inline(always)]
    fn refill_to(&mut self, minimum_bits: u32) {
        if self.bits < minimum_bits {
            self.refill();
        }
    }

    #[inline(never)]
    fn refill(&mut self) {
        // Fast path: the next eight bytes contain no FF, so no stuffing or marker to handle.
        if !self.at_marker
            && let Some(chunk) = self
                .data
                .get(self.position..)
                .and_then(|rest| rest.first_chunk::<8>())
        {
            let word = u64::from_be_bytes(*chunk);
            if !has_ff_byte(word) {
                let count = (63 - self.bits) / 8;
                let leading_bytes = word >> (64 - 8 * count);
                self.buffer |= leading_bytes << (64 - 8 * count - self.bits);
                self.bits += 8 * count;
                self.position += count as usize;
                return;
            }
        }

        while self.bits <= 56 {
            let byte = self.next_byte();
            self.buffer |= u64::from(byte) << (56 - self.bits);
            self.bits += 8;
        }
    }

    fn next_byte(&mut self) -> u8 {
        loop {
            if self.at_marker {
                self.padding_bits += 8;
                return 0;
            }
            match self.data.get(self.position) {
                None => self.at_marker = true,
                Some(0xFF) => match self.data.get(self.position + 1) {
                    Some(0x00) => {
                        self.position += 2;
                        return 0xFF;
                    }
                    // Fill bytes before a marker.
                    Some(0xFF) => self.position += 1,
                    _ => self.at_marker = true,
                },
                Some(&byte) => {
                    self.position += 1;
                    return byte;
                }
            }
        }
    }
}

/// JPEG's EXTEND: the top half of a `size`-bit range is positive, the bottom half negative.
fn extend(bits: u32, size: u32) -> i32 {
    if size == 0 {
        return 0;
    }
    let bits = bits as i32;
    if bits < 1 << (size - 1) {
        bits - (1 << size) + 1
    } else {
        bits
    }
}

/// Returns true when a byte of `word` is FF.
fn has_ff_byte(word: u64) -> bool {
    let inverted = !word;
    inverted.wrapping_sub(0x0101_0101_0101_0101) & !inverted & 0x8080_8080_8080_8080 != 0
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn extend_maps_magnitude_bits_to_signed_values() {
        assert_eq!(extend(0b0, 1), -1);
        assert_eq!(extend(0b1, 1), 1);
        assert_eq!(extend(0b00, 2), -3);
        assert_eq!(extend(0b01, 2), -2);
        assert_eq!(extend(0b10, 2), 2);
        assert_eq!(extend(0b1111_1111, 8), 255);
    }

    #[test]
    fn ff_bytes_are_found_in_any_position() {
        assert!(!has_ff_byte(0x0102_0304_0506_07FE));
        for shift in (0..64).step_by(8) {
            assert!(has_ff_byte(0xFFu64 << shift), "FF at bit {shift}");
        }
    }

    #[test]
    fn stuffed_bytes_and_markers_are_handled() {
        // FF 00 is a data byte FF; FF D9 is a marker, after which zeros are fed.
        let mut reader = BitReader::new(&[0xAB, 0xFF, 0x00, 0xCD, 0xFF, 0xD9]);
        reader.refill_to(32);
        assert_eq!(reader.buffer >> 40, 0xAB_FF_CD);
        assert_eq!(reader.padding_bits, reader.bits - 24);
        reader.consume(24);
        assert!(reader.check_not_overrun().is_ok());
        reader.consume(1);
        assert!(reader.check_not_overrun().is_err());
    }

    #[test]
    fn oversubscribed_tables_are_rejected() {
        // Three codes of length 1 cannot exist.
        let mut counts = [0u8; 16];
        counts[0] = 3;
        assert!(HuffmanTable::new(&counts, &[1, 2, 3]).is_err());
        // Counts that promise more symbols than follow.
        counts[0] = 2;
        assert!(HuffmanTable::new(&counts, &[1]).is_err());
    }

    #[test]
    fn long_codes_are_decoded_past_the_lookup_table() {
        // One code of each length 1..=12: 0, 10, 110, ..., 111111111110 (12 bits).
        let mut counts = [0u8; 16];
        counts[..12].fill(1);
        let symbols: Vec<u8> = (1..=12).collect();
        let table = HuffmanTable::new(&counts, &symbols).expect("valid table");
        // The 11-bit code 11111111110 and the 1-bit code 0, padded with ones: FF CF, with
        // the zero byte the encoder stuffs after FF.
        let mut reader = BitReader::new(&[0xFF, 0x00, 0xCF]);
        reader.refill_to(32);
        assert_eq!(reader.decode_symbol(&table), Ok(11));
        assert_eq!(reader.decode_symbol(&table), Ok(1));
    }
}
