import type { Ref } from 'vue';
import type { StoreNotice } from '../../../shared/hostApi';
import { useStoreCheckStore } from '../stores/storeCheck';

/** The path dialog's ask (components/PathDialog.vue), as App.vue holds it. */
type AskPath = (
  purpose: 'store',
  suggestion: string,
  attempt: (path: string) => Promise<string | null>,
) => Promise<string | null> | undefined;

/**
 * The store banner's Locate… (components/StoreNotices.vue): the browser host asks for the store's
 * path in the path dialog (the host verifies it there, and the dialog stays open saying why it
 * will not do); the desktop's host shows the system's dialog, and a failure goes to the banner.
 */
export function useStoreLocate(hostKind: Readonly<Ref<'electron' | 'web'>>, askPath: AskPath) {
  const storeCheck = useStoreCheckStore();
  return async function locateStore(notice: StoreNotice): Promise<void> {
    if (hostKind.value === 'web') {
      await askPath('store', notice.path, (path) => storeCheck.locate(notice, path));
      return;
    }
    const failure = await storeCheck.locate(notice);
    if (failure) storeCheck.error = failure;
  };
}
