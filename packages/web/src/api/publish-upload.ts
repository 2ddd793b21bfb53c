import type { PublishedVersion } from '@plugboard/client';
import { PlugboardError } from '@plugboard/core';
import { currentSession } from '../session/session-store.js';
import { errorFromBody } from './api-error.js';
import { API_PREFIX } from './registry-api.js';

/** Bytes sent so far and the total, for a progress bar. */
export interface UploadProgress {
  readonly loaded: number;
  readonly total: number;
}

/** A running upload: its outcome and a way to stop it. */
export interface PublishUpload {
  readonly done: Promise<PublishedVersion>;
  cancel(): void;
}

/**
 * `POST /publish` with the package as the raw body. XMLHttpRequest rather than fetch: only it
 * reports upload progress in browsers.
 */
export function uploadPackage(
  file: Blob,
  onProgress: (progress: UploadProgress) => void,
): PublishUpload {
  const request = new XMLHttpRequest();
  const done = new Promise<PublishedVersion>((resolve, reject) => {
    request.open('POST', `${API_PREFIX}/publish`);
    const token = currentSession()?.token;
    if (token !== undefined) request.setRequestHeader('authorization', `Bearer ${token}`);
    request.setRequestHeader('content-type', 'application/gzip');
    request.setRequestHeader('accept', 'application/json');
    request.responseType = 'json';
    request.upload.addEventListener('progress', (event) => {
      onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : file.size });
    });
    request.addEventListener('load', () => {
      const body = request.response as unknown;
      if (request.status === 201) resolve(body as PublishedVersion);
      else reject(errorFromBody(request.status, body));
    });
    request.addEventListener('error', () =>
      reject(new PlugboardError('UNAVAILABLE', 'the upload did not reach the server')),
    );
    request.addEventListener('abort', () =>
      reject(new PlugboardError('ABORTED', 'the upload was canceled')),
    );
    request.send(file);
  });
  return { done, cancel: () => request.abort() };
}
