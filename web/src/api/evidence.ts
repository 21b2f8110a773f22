/**
 * POST /api/evidence (server/http/evidence-route.ts): one photo or document for a visit, a
 * complaint or a flag's rectification, as multipart form data. Sent with XMLHttpRequest
 * for its upload progress (as upload.ts). Never rejects: a refusal or a network failure
 * is an outcome with the server's Chinese message.
 */
import type { EvidenceFileFieldsFragment } from './__generated__/graphql.ts';
import type { EvidenceOwnerKind } from './__generated__/schema-types.ts';
import { chineseMessage } from './client.ts';

export type EvidenceOutcome =
  { ok: true; file: EvidenceFileFieldsFragment } | { ok: false; message: string };

/** What the file picker offers; the server judges the content whatever it is named. */
export const EVIDENCE_ACCEPT = 'image/jpeg,image/png,application/pdf,.jpg,.jpeg,.png,.pdf';

function readAnswer(status: number, text: string): EvidenceOutcome {
  if (status === 0) return { ok: false, message: '网络连接失败，请检查网络后重试' };
  try {
    const body = JSON.parse(text) as {
      file?: EvidenceFileFieldsFragment;
      error?: { message?: string };
    };
    if (status === 201 && body.file) return { ok: true, file: body.file };
    if (body.error?.message) return { ok: false, message: chineseMessage(body.error.message) };
  } catch {
    // A proxy's HTML error page: fall through to the status.
  }
  if (status === 413) return { ok: false, message: '文件过大' };
  return { ok: false, message: `上传失败（${status}），请稍后重试` };
}

export function uploadEvidence(
  owner: { kind: EvidenceOwnerKind; id: string },
  file: File,
  caption: string,
  onProgress?: (fraction: number) => void,
): Promise<EvidenceOutcome> {
  const form = new FormData();
  form.append('ownerKind', owner.kind);
  form.append('ownerId', owner.id);
  if (caption.trim()) form.append('caption', caption.trim());
  form.append('file', file, file.name);
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/evidence');
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => resolve(readAnswer(xhr.status, xhr.responseText));
    xhr.onerror = () => resolve(readAnswer(0, ''));
    xhr.send(form);
  });
}
