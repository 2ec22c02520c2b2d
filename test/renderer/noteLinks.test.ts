import { beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { installHost } from '../../src/renderer/src/host/currentHost';
import { followNoteLink } from '../../src/renderer/src/notebook/links';
import { FakeHost } from './fakeHost';

describe("a note's link asks exactly once", () => {
  let ui: { confirm: Mock<(message: string) => boolean>; open: Mock<(url: string) => void> };

  beforeEach(() => {
    ui = { confirm: vi.fn((_message: string) => true), open: vi.fn((_url: string) => {}) };
  });

  it('in a browser the renderer asks, and opens only when the user agrees', () => {
    installHost(new FakeHost(), { confirmsLinks: false });
    expect(followNoteLink('https://example.org/paper', ui)).toBe(true);
    expect(ui.confirm).toHaveBeenCalledTimes(1);
    expect(ui.confirm).toHaveBeenCalledWith('Open https://example.org/paper in your browser?');
    expect(ui.open).toHaveBeenCalledWith('https://example.org/paper');

    ui.confirm.mockReturnValue(false);
    ui.open.mockClear();
    expect(followNoteLink('https://example.org/other', ui)).toBe(false);
    expect(ui.open).not.toHaveBeenCalled();
  });

  it("in Electron the renderer does not ask: the main process's native dialog is the one question", () => {
    installHost(new FakeHost(), { confirmsLinks: true });
    expect(followNoteLink('https://example.org/paper', ui)).toBe(true);
    expect(ui.confirm).not.toHaveBeenCalled();
    expect(ui.open).toHaveBeenCalledTimes(1);
  });

  it('never follows anything but http(s), in either host', () => {
    for (const confirmsLinks of [false, true]) {
      installHost(new FakeHost(), { confirmsLinks });
      for (const href of ['javascript:alert(1)', 'file:///etc/passwd', '#top', '']) {
        expect(followNoteLink(href, ui)).toBe(false);
      }
    }
    expect(ui.confirm).not.toHaveBeenCalled();
    expect(ui.open).not.toHaveBeenCalled();
  });
});
