/**
 * POST /api/uploads: report files as multipart form data in the field `files`. Sent with
 * XMLHttpRequest rather than fetch because only it reports upload progress; the answer is
 * read by upload-answer.ts. With an `uploadId` (header X-Upload-Id) the server keeps the
 * load's progress for GET /api/uploads/progress/:id (upload-progress.ts).
 */
import { readUploadAnswer, type UploadOutcome, type UploadProgress } from './upload-answer.ts';
import { UPLOAD_ID_HEADER } from './upload-progress.ts';

/** Every reject of a load batch as CSV (server/http/rejects-download.ts). */
export function rejectsCsvUrl(batchId: number | string): string {
  return `/api/uploads/rejects/${encodeURIComponent(String(batchId))}`;
}

/** The same list as an XLSX workbook (?format=xlsx). */
export function rejectsXlsxUrl(batchId: number | string): string {
  return `${rejectsCsvUrl(batchId)}?format=xlsx`;
}

/** The form field the server reads (server/http/upload-receive.ts). */
const FILES_FIELD = 'files';

/** Sends `files` in one request; never rejects (a network failure is an outcome too). */
export function uploadFiles(
  files: readonly File[],
  onProgress?: (progress: UploadProgress) => void,
  options: { uploadId?: string; force?: boolean } = {},
): Promise<UploadOutcome> {
  const form = new FormData();
  for (const file of files) form.append(FILES_FIELD, file, file.name);
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    // force: the clerk confirmed loading files newer files have since corrected.
    xhr.open('POST', options.force ? '/api/uploads?force=1' : '/api/uploads');
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    if (options.uploadId) xhr.setRequestHeader(UPLOAD_ID_HEADER, options.uploadId);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress?.({ sent: event.loaded, total: event.total });
    };
    // Sent in full: from here on the server is loading (the answer may take a while).
    xhr.upload.onload = (event) => {
      const total = event.total > 0 ? event.total : 1;
      onProgress?.({ sent: total, total });
    };
    xhr.onload = () => resolve(readUploadAnswer(xhr.status, xhr.responseText));
    xhr.onerror = () => resolve(readUploadAnswer(0, ''));
    xhr.send(form);
  });
}
