import { createRequire } from 'node:module';

// s3rver ships no types: the part of its API the tests use.
export interface S3rverServer {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}

/** s3rver, a real S3-protocol server, for the S3 storage tests. */
export const S3rver = createRequire(import.meta.url)('s3rver') as new (options: {
  port: number;
  address: string;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string }[];
}) => S3rverServer;
