import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signS3Request } from '../../src/sources/s3-signature.js';

// The "GET Object" example of the S3 documentation ("Signature Calculations for the
// Authorization Header: Transferring Payload in a Single Chunk").
test('SigV4 matches the S3 documentation example for GET Object', () => {
  const headers = signS3Request({
    method: 'GET',
    url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'),
    headers: { range: 'bytes=0-9' },
    region: 'us-east-1',
    date: new Date('2013-05-24T00:00:00Z'),
    credentials: {
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    },
  });
  assert.equal(
    headers['authorization'],
    'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
  );
});
