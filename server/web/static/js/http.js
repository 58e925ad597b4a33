// Small helpers shared by the console's scripts: CSRF header, problem+json messages.
export const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content || '';
export const lang = () => document.documentElement.lang || 'vi';

export function problemText(body, status) {
  if (body && (body.message_vi || body.message_en)) {
    let text = lang() === 'en' ? (body.message_en || body.message_vi) : (body.message_vi || body.message_en);
    if (Array.isArray(body.errors) && body.errors.length) {
      text += ' (' + body.errors.map((e) => `${e.field}: ${e.message}`).join('; ') + ')';
    }
    return text;
  }
  return (lang() === 'en' ? 'Error ' : 'Lỗi ') + status;
}

export async function sendJson(method, url, data) {
  const response = await fetch(url, {
    method,
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf() },
    body: data === undefined ? undefined : JSON.stringify(data),
    credentials: 'same-origin',
  });
  let body = null;
  try { body = await response.json(); } catch (e) { body = null; }
  document.dispatchEvent(new Event('hdnd:activity'));  // the server slid the idle timeout
  if (!response.ok) throw new Error(problemText(body, response.status));
  return body;
}

// XHR rather than fetch: only XHR reports upload progress in every browser.
export function uploadWithProgress(url, formData, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('X-CSRF-Token', csrf());
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    });
    xhr.addEventListener('load', () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(new Error(problemText(body, xhr.status)));
    });
    xhr.addEventListener('error', () => reject(new Error(lang() === 'en' ? 'Network error' : 'Lỗi mạng')));
    xhr.send(formData);
  });
}
