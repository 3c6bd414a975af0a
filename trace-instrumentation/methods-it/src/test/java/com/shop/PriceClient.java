package com.shop;

import java.io.IOException;

/** Asks the pricing endpoint over HTTP. */
public class PriceClient {
    private final String url;

    public PriceClient(String url) {
        this.url = url;
    }

    public int quote(String item) {
        try {
            return Integer.parseInt(ShopApp.get(url + "?item=" + item));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
