import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { PlugboardError } from '@plugboard/core';
import { MAX_HANDSHAKE_LINE_LENGTH, parseHandshakeLine, type Handshake } from '@plugboard/protocol';
import { fromProtocolError } from '../protocol-errors.js';

/** The handshake, or the end of stdout before one arrived. */
export type HandshakeOutcome =
  { readonly kind: 'handshake'; readonly handshake: Handshake } | { readonly kind: 'ended' };

/**
 * Reads a serving plugin's stdout up to its handshake line, which must be the first line that is
 * not blank: anything else first (garbage, a log line) is `PLUGIN_PROTOCOL_ERROR`, as is a first
 * line longer than the protocol allows. Stdout keeps being drained (and ignored, reported through
 * `onExtraOutput`) afterwards so the plugin never blocks on a full pipe.
 */
export function readHandshake(
  stdout: Readable,
  subject: string,
  onExtraOutput: (line: string) => void = () => undefined,
): Promise<HandshakeOutcome> {
  return new Promise((resolve, reject) => {
    const decoder = new StringDecoder('utf8');
    let buffered = '';
    let done = false;
    let extra = '';

    const settle = (outcome: HandshakeOutcome | PlugboardError): void => {
      if (done) return;
      done = true;
      if (outcome instanceof PlugboardError) reject(outcome);
      else resolve(outcome);
    };

    const handleLine = (line: string): void => {
      if (line.trim() === '') return;
      try {
        settle({ kind: 'handshake', handshake: parseHandshakeLine(line) });
      } catch (error) {
        const converted = fromProtocolError(error, `${subject}: handshake`);
        settle(
          converted instanceof PlugboardError
            ? converted
            : new PlugboardError(
                'PLUGIN_PROTOCOL_ERROR',
                `${subject}: handshake: ${String(error)}`,
              ),
        );
      }
    };

    stdout.on('data', (chunk: Buffer) => {
      const text = decoder.write(chunk);
      if (done) {
        // After the handshake nothing may be printed; report it line by line, bounded.
        extra = (extra + text).slice(-MAX_HANDSHAKE_LINE_LENGTH);
        let newline = extra.indexOf('\n');
        while (newline !== -1) {
          const line = extra.slice(0, newline);
          if (line.trim() !== '') onExtraOutput(line);
          extra = extra.slice(newline + 1);
          newline = extra.indexOf('\n');
        }
        return;
      }
      buffered += text;
      let newline = buffered.indexOf('\n');
      while (newline !== -1 && !done) {
        handleLine(buffered.slice(0, newline));
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf('\n');
      }
      if (!done && buffered.length > MAX_HANDSHAKE_LINE_LENGTH) {
        settle(
          new PlugboardError(
            'PLUGIN_PROTOCOL_ERROR',
            `${subject}: printed more than ${MAX_HANDSHAKE_LINE_LENGTH} characters on stdout without a handshake line`,
          ),
        );
      }
      if (done) {
        extra = buffered;
        buffered = '';
      }
    });
    stdout.once('end', () => {
      if (!done && buffered.trim() !== '') handleLine(buffered);
      settle({ kind: 'ended' });
    });
    stdout.once('error', () => settle({ kind: 'ended' }));
  });
}
