/** Saves what a GET answers as a file (the session's cookie goes with it); throws the server's words. */
export async function downloadFile(path: string, accept: string, name: string): Promise<void> {
  const res = await fetch(path, { credentials: 'same-origin', headers: { accept } });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { message?: string };
    throw new Error(body.message ?? `the server answered ${res.status}`);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // the browser has taken the file once the click is handled
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
