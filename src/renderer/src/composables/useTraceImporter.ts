import { computed, onBeforeUnmount, ref } from 'vue';
import type { ImportedTrace, ImportTraceRequest } from '../../../shared/hostApi';
import { MAX_TRACE_UPLOAD_BYTES } from '../../../shared/hostApi';
import { messageOf } from '../../../shared/messageOf';
import { useHost } from '../host/currentHost';

/** Why `file` cannot be uploaded (too big: import it by path), or null. */
function uploadProblem(file: File): string | null {
  return file.size > MAX_TRACE_UPLOAD_BYTES
    ? `${file.name} is ${Math.round(file.size / 1024 / 1024)} MB: import traces over ${MAX_TRACE_UPLOAD_BYTES / 1024 / 1024} MB by path`
    : null;
}

/** A dropped or picked file as an import request: its bytes base64-encoded. */
async function uploadRequest(file: File): Promise<Pick<ImportTraceRequest, 'upload'>> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let at = 0; at < bytes.length; at += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  }
  return { upload: { name: file.name.replace(/[\\/]/g, '_'), base64: btoa(binary) } };
}

/**
 * Reading a trace through the host (the trace import panel, ../components/TraceImport.vue): one
 * import at a time, its progress from the host's events, cancel, and the trace it read.
 * `pageSizeBytes` is the hardware's page size at the time of the import; `onImported` runs for
 * each trace read.
 */
export function useTraceImporter(pageSizeBytes: () => number, onImported: (trace: ImportedTrace) => void) {
  const busy = ref(false);
  const error = ref<string | null>(null);
  const progress = ref<{ read: number; total: number } | null>(null);
  const imported = ref<ImportedTrace | null>(null);

  let importCount = 0;
  let currentImport: string | null = null;
  const unsubscribe = useHost().onEvent((event) => {
    if (event.type === 'trace-import-progress' && event.importId === currentImport) {
      progress.value = { read: event.bytesRead, total: event.totalBytes };
    }
  });
  onBeforeUnmount(unsubscribe);

  const percent = computed(() =>
    progress.value && progress.value.total > 0
      ? Math.round((100 * progress.value.read) / progress.value.total)
      : 0,
  );

  async function run(request: Omit<ImportTraceRequest, 'importId' | 'pageSizeBytes'>): Promise<void> {
    importCount += 1;
    currentImport = `import-${importCount}`;
    busy.value = true;
    error.value = null;
    progress.value = null;
    try {
      const result = await useHost().importTrace({
        importId: currentImport,
        pageSizeBytes: pageSizeBytes(),
        ...request,
      });
      if (result) {
        imported.value = result;
        onImported(result);
      }
    } catch (cause) {
      error.value = messageOf(cause);
    } finally {
      busy.value = false;
      currentImport = null;
    }
  }

  /** Import a dropped or picked file (a file too big to upload is refused, with why). */
  async function upload(file: File): Promise<void> {
    const problem = uploadProblem(file);
    if (problem) {
      error.value = problem;
      return;
    }
    await run(await uploadRequest(file));
  }

  /** Stop the import in progress (the host kills its importer process). */
  async function cancelImport(): Promise<void> {
    if (currentImport) await useHost().cancelTraceImport(currentImport);
  }

  return { busy, error, imported, percent, run, upload, cancelImport };
}
